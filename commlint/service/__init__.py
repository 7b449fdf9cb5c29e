"""`commlint serve`: the HTTP pre-send hook (POST /v1/check) and the web page at `/`."""
