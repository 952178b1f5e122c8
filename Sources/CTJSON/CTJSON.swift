// Module CTJSON.
