package scenario

import (
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// The raw types mirror the file's layout, field for field (the yaml tags are
// the format's field names). Every leaf is a text: the scalar exactly as
// written, so that "token: 0123" stays "0123" rather than becoming the
// number 123, and so that ${VAR} can stand for a value of any type. The
// builder parses the texts with messages of its own.

// rawScenario is a whole file.
type rawScenario struct {
	Name        text         `yaml:"name"`
	Description text         `yaml:"description"`
	URL         text         `yaml:"url"`
	Account     *rawIdentity `yaml:"account"`
	Accounts    []rawAccount `yaml:"accounts"`
	Rate        text         `yaml:"rate"`
	Every       text         `yaml:"every"`
	Stages      []rawStage   `yaml:"stages"`
	Duration    text         `yaml:"duration"`
	Mix         mixValue     `yaml:"mix"`
	Followers   text         `yaml:"followers"`
	Workers     text         `yaml:"workers"`
	MaxWorkers  text         `yaml:"max_workers"`
	Timeouts    *rawTimeouts `yaml:"timeouts"`
	KeepAlive   text         `yaml:"keepalive"`
	Insecure    text         `yaml:"insecure"`
	SourceIPs   []text       `yaml:"source_ips"`
	MaxReply    text         `yaml:"max_reply_bytes"`
	Retries     text         `yaml:"retries"`
	MarkFail    *rawMarkFail `yaml:"markfail"`
	Alarms      *rawAlarms   `yaml:"alarms"`
	Thresholds  []text       `yaml:"thresholds"`
}

// rawIdentity is the single account of `account:`.
type rawIdentity struct {
	AppID      text `yaml:"appid"`
	Nickname   text `yaml:"nickname"`
	OriginalID text `yaml:"original_id"`
	Token      text `yaml:"token"`
	AESKey     text `yaml:"aes_key"`
	Mode       text `yaml:"mode"`
}

// rawAccount is one entry of `accounts:`: an identity and its traffic. The
// traffic fields left out take the top level's.
type rawAccount struct {
	Name       text       `yaml:"name"`
	URL        text       `yaml:"url"`
	AppID      text       `yaml:"appid"`
	Nickname   text       `yaml:"nickname"`
	OriginalID text       `yaml:"original_id"`
	Token      text       `yaml:"token"`
	AESKey     text       `yaml:"aes_key"`
	Mode       text       `yaml:"mode"`
	Rate       text       `yaml:"rate"`
	Every      text       `yaml:"every"`
	Stages     []rawStage `yaml:"stages"`
	Mix        mixValue   `yaml:"mix"`
	Followers  text       `yaml:"followers"`
}

// identity returns the entry's account fields.
func (a *rawAccount) identity() *rawIdentity {
	return &rawIdentity{AppID: a.AppID, Nickname: a.Nickname, OriginalID: a.OriginalID,
		Token: a.Token, AESKey: a.AESKey, Mode: a.Mode}
}

// traffic returns the entry's traffic fields.
func (a *rawAccount) traffic() rawTraffic {
	return rawTraffic{URL: a.URL, Rate: a.Rate, Every: a.Every, Stages: a.Stages, Mix: a.Mix, Followers: a.Followers}
}

// traffic returns the top level's traffic fields, the entries' defaults.
func (r *rawScenario) traffic() rawTraffic {
	return rawTraffic{URL: r.URL, Rate: r.Rate, Every: r.Every, Stages: r.Stages, Mix: r.Mix, Followers: r.Followers}
}

// rawTraffic gathers the fields an account entry shares with the top level.
type rawTraffic struct {
	URL       text
	Rate      text
	Every     text
	Stages    []rawStage
	Mix       mixValue
	Followers text
}

// hasLoad reports whether any of the load fields is given.
func (t rawTraffic) hasLoad() bool { return t.Rate.set || t.Every.set || t.Stages != nil }

// rawStage is one stage; kind defaults to ramp, as in k6.
type rawStage struct {
	Kind     text `yaml:"kind"`
	Duration text `yaml:"duration"`
	From     text `yaml:"from"`
	Target   text `yaml:"target"`
	Amp      text `yaml:"amp"`
	Period   text `yaml:"period"`
}

type rawTimeouts struct {
	Connect  text `yaml:"connect"`
	Response text `yaml:"response"`
}

type rawMarkFail struct {
	Window   text `yaml:"window"`
	Failures text `yaml:"failures"`
	Ratio    text `yaml:"ratio"`
	Block    text `yaml:"block"`
}

type rawAlarms struct {
	Window    text `yaml:"window"`
	Threshold text `yaml:"threshold"`
}

// text is a scalar as written. set is false for a field left out or null;
// shape is the node's type, so that a list or mapping where a single value
// belongs is reported by the builder, which knows the field's name.
type text struct {
	s     string
	set   bool
	shape ast.NodeType
}

// UnmarshalYAML implements yaml.NodeUnmarshaler: it keeps the scalar's own
// spelling (aliases and anchors arrive resolved).
func (t *text) UnmarshalYAML(n ast.Node) error {
	for {
		tag, ok := n.(*ast.TagNode) // "!!str 0123": the value under the tag
		if !ok {
			break
		}
		n = tag.Value
	}
	t.set, t.shape = true, n.Type()
	switch v := n.(type) {
	case *ast.NullNode:
		t.set = false
	case *ast.StringNode:
		t.s = v.Value
	case *ast.LiteralNode: // a block scalar, | or >
		t.s = strings.TrimRight(v.Value.Value, "\n")
	case ast.ScalarNode:
		t.s = v.GetToken().Value
	}
	return nil
}

// scalar reports whether the text is a single value (not a list or mapping).
func (t text) scalar() bool {
	return t.shape != ast.MappingType && t.shape != ast.SequenceType && t.shape != ast.MappingValueType
}

// mixValue is a mix written either as the --mix flag's string
// ("text=6,click=2") or as a mapping of kind to weight.
type mixValue struct {
	set   bool
	flat  text       // the string form
	pairs []mixEntry // the mapping form, in file order
	bad   ast.NodeType
}

// mixEntry is one "kind: weight" of the mapping form.
type mixEntry struct {
	kind, weight text
}

// UnmarshalYAML implements yaml.NodeUnmarshaler.
func (m *mixValue) UnmarshalYAML(n ast.Node) error {
	m.set = true
	switch v := n.(type) {
	case *ast.MappingNode:
		for _, mv := range v.Values {
			m.addPair(mv)
		}
	case *ast.MappingValueNode:
		m.addPair(v)
	case *ast.SequenceNode:
		m.bad = ast.SequenceType
	default:
		return m.flat.UnmarshalYAML(n)
	}
	return nil
}

func (m *mixValue) addPair(mv *ast.MappingValueNode) {
	var e mixEntry
	_ = e.kind.UnmarshalYAML(mv.Key)
	_ = e.weight.UnmarshalYAML(mv.Value)
	m.pairs = append(m.pairs, e)
}
