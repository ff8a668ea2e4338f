package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/wxsim/wxsim/simulator/api"
)

// Example serves the mock on loopback, gets a token and sends a
// customer-service message with it, as a developer's SDK would.
func Example() {
	s, err := api.New(api.Config{Accounts: []api.Account{{AppID: "wx0123456789abcdef", Secret: "my-app-secret"}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(s)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/cgi-bin/token?" + url.Values{"grant_type": {"client_credential"},
		"appid": {"wx0123456789abcdef"}, "secret": {"my-app-secret"}}.Encode())
	if err != nil {
		fmt.Println(err)
		return
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	fmt.Println("expires_in", tok.ExpiresIn)

	resp, err = http.Post(srv.URL+"/cgi-bin/message/custom/send?access_token="+tok.AccessToken,
		"application/json", strings.NewReader(`{"touser":"o-user","msgtype":"text","text":{"content":"Hello World"}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	var ok struct {
		Errcode int    `json:"errcode"`
		Errmsg  string `json:"errmsg"`
	}
	json.NewDecoder(resp.Body).Decode(&ok)
	resp.Body.Close()
	fmt.Println(ok.Errcode, ok.Errmsg)
	fmt.Println("tokens issued", s.Stats().TokensIssued["wx0123456789abcdef"])
	// Output:
	// expires_in 7200
	// 0 ok
	// tokens issued 1
}
