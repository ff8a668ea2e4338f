package api

import (
	"encoding/json"
	"io"
	"net/http"
)

// maxBody bounds a request body; WeChat's JSON APIs take small bodies, and
// a mock must not be made to buffer without bound.
const maxBody = 1 << 20

// decodeBody reads r's JSON body into v: 44002 when it is empty, 47001
// when it is too large or not JSON.
func decodeBody(r *http.Request, v any) *apiError {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	switch {
	case err != nil || len(b) > maxBody:
		return fail(CodeDataFormat)
	case len(b) == 0:
		return fail(CodeEmptyPostData)
	case json.Unmarshal(b, v) != nil:
		return fail(CodeDataFormat)
	}
	return nil
}
