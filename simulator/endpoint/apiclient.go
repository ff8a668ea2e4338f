package endpoint

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// APITimeout bounds each call to WeChat's server API: a send that cannot
// finish in time is given up, so a stuck API cannot pin a worker.
const APITimeout = 5 * time.Second

// The API paths the asynchronous behaviours call, appended to
// APIConfig.BaseURL.
const (
	pathToken      = "/cgi-bin/token"
	pathCustomSend = "/cgi-bin/message/custom/send"
)

// maxAPIAnswer bounds how much of an API answer is read: WeChat's JSON
// answers are a few hundred bytes.
const maxAPIAnswer = 64 << 10

// APIConfig is how the asynchronous behaviours reach WeChat's server API
// (usually wxsim's mock, `wxsim api`). Other behaviours ignore it.
type APIConfig struct {
	// BaseURL is the API's base, e.g. "http://127.0.0.1:8081"; the API
	// paths (/cgi-bin/token…) are appended to it.
	BaseURL string
	// Secret is the account's AppSecret, sent to /cgi-bin/token. It never
	// appears in an error, in Stats or in String.
	Secret string
	// Client makes the API calls; nil means a client of the endpoint's own
	// that follows no redirects. Each call is bounded by APITimeout either way.
	Client *http.Client
	// OnError, when set, hears each distinct reason a send failed, once
	// (a wrong secret, an unreachable base URL, a refused call), so that a
	// drill set up wrongly does not fail silently. The errors hold no
	// secret and no token. It is called from the sending goroutines.
	OnError func(error)
}

// String renders the configuration without its secret, so that printing a
// Config by accident cannot leak it.
func (c APIConfig) String() string {
	return fmt.Sprintf("api %s", c.BaseURL)
}

// GoString is String, for %#v.
func (c APIConfig) GoString() string { return c.String() }

// checkAPI refuses a behaviour that uses the API without a usable base URL
// and secret. Its errors name what is missing and never quote the secret.
func checkAPI(b Behaviour, c APIConfig) error {
	var missing []string
	if c.BaseURL == "" {
		missing = append(missing, "the API base URL (--api-base)")
	}
	if c.Secret == "" {
		missing = append(missing, "the app secret (--app-secret)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("behaviour %s needs %s", b.Name, strings.Join(missing, " and "))
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return fmt.Errorf("behaviour %s: the API base URL does not parse: want an http:// or https:// URL with a host, e.g. http://127.0.0.1:8081", b.Name)
	}
	// Quoted without its query and password, which could hold a secret.
	bare := *u
	bare.RawQuery, bare.ForceQuery, bare.Fragment, bare.RawFragment = "", false, "", ""
	switch {
	case (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("behaviour %s: API base URL %q: want an http:// or https:// URL with a host", b.Name, bare.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return fmt.Errorf("behaviour %s: API base URL %q: give it without a query; the API paths and their parameters are appended", b.Name, bare.Redacted())
	}
	return nil
}

// apiClient calls the two APIs the asynchronous behaviours need. Its
// errors name the API path, never the URL: the query of /cgi-bin/token
// carries the secret, and that of custom/send the access_token.
type apiClient struct {
	base   string // without a trailing slash
	appid  string
	secret string
	http   *http.Client
	own    bool // http is ours: Close may drop its idle connections
}

func newAPIClient(c APIConfig, appid string) *apiClient {
	a := &apiClient{base: strings.TrimRight(c.BaseURL, "/"), appid: appid, secret: c.Secret, http: c.Client}
	if a.http == nil {
		a.own = true
		a.http = &http.Client{
			Timeout:   APITimeout,
			Transport: &http.Transport{MaxIdleConnsPerHost: maxInFlight, IdleConnTimeout: 90 * time.Second},
			// A redirect would carry the secret's query to another URL.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	return a
}

// closeIdle drops the idle connections of the endpoint's own client, so
// that a closed endpoint leaves no connection goroutines behind.
func (a *apiClient) closeIdle() {
	if a.own {
		a.http.CloseIdleConnections()
	}
}

// apiAnswer is the union of the answers read: the token API's success, and
// the errcode every API answers errors (and custom/send success) with.
type apiAnswer struct {
	Errcode     int    `json:"errcode"`
	Errmsg      string `json:"errmsg"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// fetchToken calls GET /cgi-bin/token and returns a new access_token and
// its lifetime.
func (a *apiClient) fetchToken(ctx context.Context) (string, time.Duration, error) {
	q := url.Values{"grant_type": {"client_credential"}, "appid": {a.appid}, "secret": {a.secret}}
	ans, err := a.call(ctx, http.MethodGet, pathToken, q, nil)
	if err != nil {
		return "", 0, err
	}
	if ans.Errcode != 0 || ans.AccessToken == "" {
		return "", 0, fmt.Errorf("GET %s: errcode %d: %s", pathToken, ans.Errcode, ans.Errmsg)
	}
	return ans.AccessToken, time.Duration(ans.ExpiresIn) * time.Second, nil
}

// customText is the body of a text customer-service message.
type customText struct {
	ToUser  string `json:"touser"`
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

// sendText calls POST /cgi-bin/message/custom/send with a text message and
// returns the API's errcode; the error is for calls that got no errcode.
func (a *apiClient) sendText(ctx context.Context, token, toUser, content string) (int, error) {
	m := customText{ToUser: toUser, MsgType: "text"}
	m.Text.Content = content
	body, err := json.Marshal(m)
	if err != nil {
		return 0, fmt.Errorf("POST %s: encoding the message: %w", pathCustomSend, err)
	}
	ans, err := a.call(ctx, http.MethodPost, pathCustomSend, url.Values{"access_token": {token}}, body)
	if err != nil {
		return 0, err
	}
	return ans.Errcode, nil
}

// call makes one API call within APITimeout and decodes its JSON answer.
func (a *apiClient) call(ctx context.Context, method, path string, q url.Values, body []byte) (apiAnswer, error) {
	ctx, cancel := context.WithTimeout(ctx, APITimeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path+"?"+q.Encode(), rd)
	if err != nil {
		return apiAnswer{}, fmt.Errorf("%s %s: %w", method, path, redact(err))
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return apiAnswer{}, fmt.Errorf("%s %s: %w", method, path, redact(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIAnswer))
	if err != nil {
		return apiAnswer{}, fmt.Errorf("%s %s: reading the answer: %w", method, path, redact(err))
	}
	if resp.StatusCode != http.StatusOK {
		return apiAnswer{}, fmt.Errorf("%s %s: HTTP %d", method, path, resp.StatusCode)
	}
	var ans apiAnswer
	if err := json.Unmarshal(raw, &ans); err != nil {
		return apiAnswer{}, fmt.Errorf("%s %s: the answer is not JSON: %w", method, path, err)
	}
	return ans, nil
}

// redact strips the URL from net/http's errors: *url.Error quotes the
// whole URL, query (secret, access_token) included.
func redact(err error) error {
	var ue *url.Error
	for errors.As(err, &ue) {
		err = ue.Err
	}
	return err
}
