"""The HTTP API and the self-serve widget (`advocate serve`); see docs/http.md.

Only the modules that need it import FastAPI: the key store and the token signer are plain, so
`advocate keys …` starts fast.
"""
