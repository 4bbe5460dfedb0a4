"""Abuse protection shared by the plugin's endpoints: rate limits whose counters all
server workers share (``ratelimit``) and the client's address behind trusted proxies
(``client``)."""
