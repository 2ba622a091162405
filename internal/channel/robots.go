package channel

import (
	"bufio"
	"bytes"
	"strings"
)

// Robots is the part of a robots.txt that applies to zhendi: the group for
// its User-Agent token ("zhendi") if there is one, else the group for "*".
// Matching follows RFC 9309: the longest matching Allow or Disallow path
// wins, Allow on a tie; "*" matches any run of characters and a trailing
// "$" anchors the end.
type Robots struct {
	allow, disallow []string
}

// ParseRobots reads a robots.txt for the agent token.
func ParseRobots(data []byte, agent string) Robots {
	agent = strings.ToLower(agent)
	type group struct {
		agents          []string
		allow, disallow []string
	}
	var groups []*group
	var cur *group
	lastWasAgent := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "user-agent":
			if cur == nil || !lastWasAgent {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(val))
			lastWasAgent = true
			continue
		case "allow":
			if cur != nil && val != "" {
				cur.allow = append(cur.allow, val)
			}
		case "disallow":
			if cur != nil && val != "" {
				cur.disallow = append(cur.disallow, val)
			}
		}
		lastWasAgent = false
	}
	var star, mine *group
	for _, g := range groups {
		for _, a := range g.agents {
			if a == "*" && star == nil {
				star = g
			}
			if a != "*" && strings.Contains(agent, a) && mine == nil {
				mine = g
			}
		}
	}
	if mine == nil {
		mine = star
	}
	if mine == nil {
		return Robots{}
	}
	return Robots{allow: mine.allow, disallow: mine.disallow}
}

// Allowed reports whether the path (with its query) may be fetched.
func (r Robots) Allowed(path string) bool {
	if path == "" {
		path = "/"
	}
	best, allowed := -1, true
	for _, p := range r.disallow {
		if robotsMatch(p, path) && len(p) > best {
			best, allowed = len(p), false
		}
	}
	for _, p := range r.allow {
		if robotsMatch(p, path) && len(p) >= best {
			best, allowed = len(p), true
		}
	}
	return allowed
}

func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	pattern = strings.TrimSuffix(pattern, "$")
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	rest := path[len(parts[0]):]
	for _, p := range parts[1:] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	if anchored {
		if len(parts) > 1 && parts[len(parts)-1] == "" {
			return true
		}
		return rest == ""
	}
	return true
}
