package openflow

import "sort"

// The classifier is a tuple-space search like OVS's lib/classifier.c: flows
// with the same set of masked words share a subtable, which hashes the
// masked packet words to the flows with exactly those values (highest
// priority first). A lookup probes each subtable once, in order of the
// subtable's highest priority, and stops as soon as no remaining subtable
// can beat the best match: no linear scan over the flows of a table.

type subtable struct {
	words   []int
	masks   []uint64
	maxPri  int
	buckets map[uint64][]*rule
	// all holds every flow of a small subtable, by priority: testing a
	// few masks beats hashing.
	all []*rule
	n   int
}

// smallSubtable is the size up to which a subtable is scanned, not hashed.
const smallSubtable = 4

type table struct {
	id    int
	subs  []*subtable
	bySig map[string]*subtable
	n     int
	// unknown are the flows whose match the simulator cannot evaluate;
	// they never match, and a lookup they might have won says so.
	unknown []*rule
}

func newTable(id int) *table { return &table{id: id, bySig: map[string]*subtable{}} }

func maskSig(conds []cond) string {
	b := make([]byte, 0, len(conds)*9)
	for _, c := range conds {
		b = append(b, byte(c.word))
		for i := 0; i < 8; i++ {
			b = append(b, byte(c.mask>>(8*i)))
		}
	}
	return string(b)
}

func hashStep(h, v uint64) uint64 {
	h ^= v
	h *= 1099511628211
	return h ^ h>>29
}

const hashSeed = uint64(14695981039346656037)

func (t *table) insert(r *rule) {
	sig := maskSig(r.match.conds)
	st := t.bySig[sig]
	if st == nil {
		st = &subtable{maxPri: -1, buckets: map[uint64][]*rule{}}
		for _, c := range r.match.conds {
			st.words = append(st.words, c.word)
			st.masks = append(st.masks, c.mask)
		}
		t.bySig[sig] = st
		t.subs = append(t.subs, st)
	}
	h := hashSeed
	for _, c := range r.match.conds {
		h = hashStep(h, c.val)
	}
	st.n++
	list := append(st.buckets[h], r)
	// Highest priority first; among equals the earlier dump line wins, a
	// deterministic stand-in for OVS's arbitrary choice.
	sort.SliceStable(list, func(i, j int) bool { return list[i].priority > list[j].priority })
	st.buckets[h] = list
	if r.priority > st.maxPri {
		st.maxPri = r.priority
	}
	t.n++
}

// finish orders subtables by their best priority, so lookups can stop
// early, and lists the flows of small ones.
func (t *table) finish() {
	sort.SliceStable(t.subs, func(i, j int) bool { return t.subs[i].maxPri > t.subs[j].maxPri })
	for _, st := range t.subs {
		if st.n > smallSubtable {
			continue
		}
		for _, l := range st.buckets {
			st.all = append(st.all, l...)
		}
		sort.SliceStable(st.all, func(i, j int) bool {
			if st.all[i].priority != st.all[j].priority {
				return st.all[i].priority > st.all[j].priority
			}
			return st.all[i].index < st.all[j].index
		})
	}
	sort.SliceStable(t.unknown, func(i, j int) bool { return t.unknown[i].priority > t.unknown[j].priority })
}

// mightBeat returns the flows with an unevaluable match that outrank
// priority and whose evaluable part matches p: one of them may be the flow
// OVS picks.
func (t *table) mightBeat(p *Packet, priority int) []*rule {
	var out []*rule
	for _, r := range t.unknown {
		if r.priority <= priority {
			break
		}
		if r.partial.matches(p) {
			out = append(out, r)
		}
	}
	return out
}

// find returns the highest-priority rule of st matching p, or the first
// one after skip (for conjunction fallbacks) when skip is set.
func (st *subtable) find(p *Packet) []*rule {
	if st.all != nil {
		return st.all
	}
	h := hashSeed
	for i, w := range st.words {
		h = hashStep(h, p.w[w]&st.masks[i])
	}
	return st.buckets[h]
}

func firstMatch(list []*rule, p *Packet, below int) (*rule, int) {
	for i, r := range list {
		if r.priority < below && r.match.matches(p) {
			return r, i
		}
	}
	return nil, -1
}

const noPri = -1 << 31

// lookup implements classifier_lookup with conjunctive matches.
func (t *table) lookup(p *Packet) *rule {
	return t.lookup2(p, true)
}

type softMatch struct {
	list []*rule
	idx  int
}

// conjSeen is the clauses of conjunction id matched so far, as bits (the
// bits above the clause count are preset).
type conjSeen struct {
	id   uint32
	bits uint64
}

func (t *table) lookup2(p *Packet, allowConj bool) *rule {
	var hard *rule
	hardPri := noPri
	var softBuf [8]softMatch
	soft := softBuf[:0]
	softPri := noPri
	for _, st := range t.subs {
		if st.maxPri <= hardPri {
			break
		}
		list := st.find(p)
		r, i := firstMatch(list, p, 1<<31)
		if r == nil || r.priority <= hardPri {
			continue
		}
		if !r.soft() {
			hard, hardPri = r, r.priority
		} else if allowConj {
			soft = append(soft, softMatch{list, i})
			if r.priority > softPri {
				softPri = r.priority
			}
		}
	}
	if hardPri >= softPri {
		return hard
	}
	for {
		// Drop soft matches that cannot beat the hard match.
		n := 0
		for _, s := range soft {
			if s.idx >= 0 && s.list[s.idx].priority > hardPri {
				soft[n] = s
				n++
			}
		}
		soft = soft[:n]
		if len(soft) == 0 {
			break
		}
		softPri = noPri
		for _, s := range soft {
			if pr := s.list[s.idx].priority; pr > softPri {
				softPri = pr
			}
		}
		// Clause bitmaps per conjunction id at this priority.
		var seenBuf [8]conjSeen
		seen := seenBuf[:0]
		for _, s := range soft {
			r := s.list[s.idx]
			if r.priority != softPri {
				continue
			}
			for _, c := range r.conj {
				j := 0
				for j < len(seen) && seen[j].id != c.id {
					j++
				}
				if j == len(seen) {
					seen = append(seen, conjSeen{c.id, ^uint64(0) << (c.n & 63)})
				}
				seen[j].bits |= 1 << c.k
				if seen[j].bits == ^uint64(0) {
					saved := p.w[wRecirc]
					p.w[wRecirc] = p.w[wRecirc]&0xffffffff | uint64(c.id)<<32
					found := t.lookup2(p, false)
					p.w[wRecirc] = saved
					if found != nil {
						return found
					}
				}
			}
		}
		// No conjunction completed: the next lower flow with the same
		// match in each soft list takes its place.
		for i := range soft {
			s := &soft[i]
			if s.list[s.idx].priority != softPri {
				continue
			}
			r, j := firstMatch(s.list[s.idx+1:], p, 1<<31)
			if r == nil {
				s.idx = -1
				continue
			}
			s.idx += 1 + j
			if !r.soft() {
				if r.priority > hardPri {
					hard, hardPri = r, r.priority
				}
				s.idx = -1
			}
		}
	}
	return hard
}
