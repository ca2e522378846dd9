package synth

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing/fstest"

	"github.com/ulikunitz/xz"
)

// Cloud returns a directory of nodes (one fs.FS entry per node) made from
// the tarballs of a lab scenario: copies of each lab node, each compute
// node with vms VM ports (its own, then clones of them). nodes is the total
// node count.
func Cloud(scenarioDir string, nodes, vms int) (fstest.MapFS, error) {
	tars, err := filepath.Glob(filepath.Join(scenarioDir, "*.tar.xz"))
	if err != nil || len(tars) == 0 {
		return nil, fmt.Errorf("synth: no tarballs in %s", scenarioDir)
	}
	var lab []labNode
	for _, t := range tars {
		files, err := readTarXZ(t)
		if err != nil {
			return nil, err
		}
		name := strings.Split(filepath.Base(t), "-")[1] // netxray-cmp1-…
		lab = append(lab, labNode{name, files})
	}
	out := fstest.MapFS{}
	for i := range nodes {
		src := lab[i%len(lab)]
		name := fmt.Sprintf("%s-%03d", src.name, i)
		files := src.files
		if hasVMs(files) {
			files = multiplyVMs(files, vms)
		}
		for p, data := range files {
			_, rest, _ := strings.Cut(p, "/")
			text := bytes.ReplaceAll(data, []byte(`"host": "`+src.name+`"`), []byte(`"host": "`+name+`"`))
			out[name+"/"+rest] = &fstest.MapFile{Data: text, Mode: 0o644}
		}
	}
	return out, nil
}

type labNode struct {
	name  string
	files map[string][]byte
}

func readTarXZ(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	xr, err := xz.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("synth: %s: %w", path, err)
	}
	out := map[string][]byte{}
	tr := tar.NewReader(xr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("synth: %s: %w", path, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("synth: %s: %w", path, err)
		}
		out[h.Name] = data
	}
}

// vif is one VM port of a lab node: the identifiers a clone rewrites.
type vif struct {
	tap    string // "fb09e538-87", the port id's first 11 characters
	portID string
	mac    string
}

var (
	ifaceIDRE = regexp.MustCompile(`iface-id="?([0-9a-f-]{36})"?`)
	macRE     = regexp.MustCompile(`attached-mac="?([0-9a-f:]{17})"?`)
	uuidRE    = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	ofportRE  = regexp.MustCompile(`(?m)^(ofport\s*:\s*)\d+`)
)

func listFiles(files map[string][]byte) []string {
	var out []string
	for p := range files {
		base := strings.ToLower(filepath.Base(p))
		if strings.HasSuffix(base, "list_interface") || strings.HasSuffix(base, "list_port") {
			out = append(out, p)
		}
	}
	return out
}

func hasVMs(files map[string][]byte) bool { return len(vifs(files)) > 0 }

// vifs finds the node's VM ports in its Interface table.
func vifs(files map[string][]byte) []vif {
	var out []vif
	for _, p := range listFiles(files) {
		if !strings.HasSuffix(strings.ToLower(p), "interface") {
			continue
		}
		for _, rec := range bytes.Split(files[p], []byte("\n\n")) {
			id, mac := ifaceIDRE.FindSubmatch(rec), macRE.FindSubmatch(rec)
			if id == nil || mac == nil || !bytes.Contains(rec, []byte("vm-uuid")) {
				continue
			}
			out = append(out, vif{tap: string(id[1][:11]), portID: string(id[1]), mac: string(mac[1])})
		}
		if len(out) > 0 {
			return out
		}
	}
	return out
}

// multiplyVMs clones the node's VM ports until it has n: the OVSDB Port
// and Interface records (new UUIDs, names, MACs, ofports) and the br-int
// flows naming them.
func multiplyVMs(files map[string][]byte, n int) map[string][]byte {
	tmpl := vifs(files)
	out := make(map[string][]byte, len(files))
	for p, d := range files {
		out[p] = d
	}
	for k := len(tmpl); k < n; k++ {
		t := tmpl[k%len(tmpl)]
		sub := cloneIDs(t, k)
		for _, p := range listFiles(files) {
			var add []byte
			for _, rec := range bytes.Split(files[p], []byte("\n\n")) {
				if bytes.Contains(rec, []byte(t.tap)) {
					c := uuidRE.ReplaceAllStringFunc(string(rec), func(u string) string { return newUUID(u, k) })
					c = sub.Replace(c)
					c = ofportRE.ReplaceAllString(c, fmt.Sprintf("${1}%d", 1000+k))
					add = append(add, "\n\n"+strings.TrimRight(c, "\n")...)
				}
			}
			out[p] = append(bytes.TrimRight(out[p], "\n"), append(add, '\n')...)
		}
		// The bridge lists its ports by UUID: add the clone's.
		for _, pu := range portUUIDs(files, t.tap) {
			for p := range files {
				if strings.HasSuffix(strings.ToLower(p), "list_bridge") {
					out[p] = addPortRef(out[p], pu, newUUID(pu, k))
				}
			}
		}
		for p := range files {
			if !strings.Contains(p, "dump-flows_br-int") {
				continue
			}
			var add []string
			for _, l := range strings.Split(string(files[p]), "\n") {
				if strings.Contains(l, t.tap) || strings.Contains(l, t.mac) {
					add = append(add, sub.Replace(l))
				}
			}
			out[p] = append(bytes.TrimRight(out[p], "\n"), []byte("\n"+strings.Join(add, "\n")+"\n")...)
		}
	}
	return out
}

// cloneIDs rewrites one VIF's identifiers for its k-th clone.
// The port id maps as newUUID does, so the records (whose UUIDs newUUID
// rewrites) and the flows (rewritten here) agree.
func cloneIDs(t vif, k int) *strings.Replacer {
	id := newUUID(t.portID, k)
	h := sha256.Sum256([]byte(id))
	mac := fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", h[0], h[1], h[2])
	return strings.NewReplacer(t.tap, id[:11], t.mac, mac, strings.Replace(t.mac, "fa:", "fe:", 1), strings.Replace(mac, "fa:", "fe:", 1))
}

// newUUID maps a record's UUIDs to the clone's, the same way in every
// record, so Port → Interface references still hold.
func newUUID(u string, k int) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", u, k)))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

var uuidLineRE = regexp.MustCompile(`(?m)^_uuid\s*:\s*(\S+)`)

// portUUIDs returns the _uuid of the Port records naming tap.
func portUUIDs(files map[string][]byte, tap string) []string {
	var out []string
	for _, p := range listFiles(files) {
		if !strings.HasSuffix(strings.ToLower(p), "list_port") {
			continue
		}
		for _, rec := range bytes.Split(files[p], []byte("\n\n")) {
			if m := uuidLineRE.FindSubmatch(rec); m != nil && bytes.Contains(rec, []byte(tap)) {
				out = append(out, string(m[1]))
			}
		}
	}
	return out
}

// addPortRef appends ref to the "ports" list that holds old.
func addPortRef(data []byte, old, ref string) []byte {
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "ports") && strings.Contains(l, old) && strings.HasSuffix(l, "]") {
			lines[i] = strings.TrimSuffix(l, "]") + ", " + ref + "]"
		}
	}
	return []byte(strings.Join(lines, "\n"))
}
