package endpoint_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/wxsim/wxsim/simulator/endpoint"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// An endpoint embedded in a test: it answers WeChat's GET handshake with
// the echostr when the signature is right.
func Example() {
	account := wechat.Account{AppID: "wx0123456789abcdef", OriginalID: "gh_0123456789ab", Token: "AAAAA"}
	e, err := endpoint.New(endpoint.Config{Account: account})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()
	defer e.Close() // runs first: releases requests a fault behaviour holds

	sig := wechat.Signature(account.Token, "1714036504", "1514711492")
	resp, err := http.Get(srv.URL + "/wechat?signature=" + sig + "&timestamp=1714036504&nonce=1514711492&echostr=4375120948345356249")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body), e.Stats().Handshakes)
	// Output: 200 4375120948345356249 1
}

// A fault behaviour for a drill, as `wxsim endpoint --behaviour` reads it.
func ExampleParseBehaviour() {
	b, err := endpoint.ParseBehaviour("flaky=0.1")
	fmt.Println(b.Name, b.P, b, err)
	_, err = endpoint.ParseBehaviour("slow")
	fmt.Println(err)
	// Output:
	// flaky 0.1 flaky=0.1 <nil>
	// behaviour "slow": slow needs a duration, e.g. slow=6s (valid: correct, slow=DURATION, error500, badxml, wrongswap, json, unsigned, plainreply, flaky=P, hang, reset, blackhole, capacity=N, async, tokenperpush, norefresh, dropasync)
}
