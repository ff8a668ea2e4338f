package scenario

// testKey is a syntactically valid EncodingAESKey used only by tests.
const testKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

// testEnv is the environment the tests load scenarios with, so that they
// neither read nor change the process's.
var testEnv = map[string]string{
	"WXSIM_TOKEN": "scenarioTestToken", "WXSIM_AES_KEY": testKey,
	"WXSIM_SHOP_TOKEN": "shopTestToken", "WXSIM_NEWS_TOKEN": "newsTestToken",
	"EMPTY": "",
}

// lookup reads testEnv.
func lookup(name string) (string, bool) {
	v, ok := testEnv[name]
	return v, ok
}

// testOptions load with testEnv.
var testOptions = Options{LookupEnv: lookup}
