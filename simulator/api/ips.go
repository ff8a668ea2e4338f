package api

import "net/http"

// ipList is the answer of getcallbackip and get_api_domain_ip.
type ipList struct {
	IPList []string `json:"ip_list"`
}

// callbackIP serves GET /cgi-bin/getcallbackip: the IPs (and CIDR ranges)
// WeChat pushes from, which developers put in their firewall's whitelist.
func (s *Server) callbackIP(*http.Request, *call) (any, *apiError) {
	return ipList{IPList: s.cfg.CallbackIPs}, nil
}

// apiDomainIP serves GET /cgi-bin/get_api_domain_ip: the IPs that
// api.weixin.qq.com resolves to, for developers' egress rules.
func (s *Server) apiDomainIP(*http.Request, *call) (any, *apiError) {
	return ipList{IPList: s.cfg.APIDomainIPs}, nil
}
