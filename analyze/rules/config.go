package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"

	"gopkg.in/yaml.v3"
)

// Config is netxray.yaml's check section: which rules run, their
// severities, and thresholds for what bundles cannot tell.
//
//	enable: [stale-cookie-flows]
//	disable: [source-failed]
//	severity:
//	  l2pop-unicast-missing: error
//	thresholds:
//	  underlay_mtu: 9000
type Config struct {
	// Enable turns on rules that are off by default; Disable turns rules
	// off ("all" for every rule). Enable wins over Disable.
	Enable  []string `yaml:"enable"`
	Disable []string `yaml:"disable"`
	// Severity overrides the severity of every finding of a rule.
	Severity   map[string]Severity `yaml:"severity"`
	Thresholds Thresholds          `yaml:"thresholds"`
}

// Thresholds are numbers the rules cannot read from every bundle.
type Thresholds struct {
	// UnderlayMTU is the MTU assumed for a node's tunnel underlay when
	// the bundle does not show the device holding local_ip (0: skip).
	UnderlayMTU int `yaml:"underlay_mtu"`
	// CTMarkInvalid is how many conntrack entries marked invalid
	// (ct_mark=1) a node may hold before ct-mark-invalid reports it
	// (default 0: any).
	CTMarkInvalid int `yaml:"ct_mark_invalid"`
}

// LoadConfig reads a YAML configuration; unknown keys are errors, so a
// typo does not silently keep a default.
func LoadConfig(r io.Reader) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading configuration: %w", err)
	}
	c := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading configuration: %w", err)
	}
	return c, nil
}

// Select returns the rules of all that run under c, with the extra
// enable/disable names of the command line applied after c's. Unknown
// names are errors.
func (c *Config) Select(all []*Rule, enable, disable []string) ([]*Rule, error) {
	known := map[string]bool{"all": true}
	for _, r := range all {
		known[r.Name] = true
	}
	var unknown []string
	check := func(names []string) {
		for _, n := range names {
			if !known[n] {
				unknown = append(unknown, n)
			}
		}
	}
	check(c.Enable)
	check(c.Disable)
	check(enable)
	check(disable)
	for n := range c.Severity {
		if !known[n] || n == "all" {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("unknown rule(s): %v (see netxray rules)", unknown)
	}
	on := map[string]bool{}
	for _, r := range all {
		on[r.Name] = !r.Off
	}
	apply := func(names []string, v bool) {
		for _, n := range names {
			if n == "all" {
				for k := range on {
					on[k] = v
				}
				continue
			}
			on[n] = v
		}
	}
	apply(c.Disable, false)
	apply(c.Enable, true)
	apply(disable, false)
	apply(enable, true)
	var out []*Rule
	for _, r := range all {
		if on[r.Name] {
			out = append(out, r)
		}
	}
	return out, nil
}

func (c *Config) severityOf(r *Rule) Severity {
	if s, ok := c.Severity[r.Name]; ok {
		return s
	}
	return r.Severity
}

func (c *Config) overridden(rule string) bool {
	_, ok := c.Severity[rule]
	return ok
}
