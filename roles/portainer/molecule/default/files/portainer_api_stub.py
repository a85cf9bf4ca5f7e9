#!/usr/bin/env python3
"""A stand-in for the few Portainer API endpoints the role's API key bootstrap calls.

The Portainer image cannot be pulled in the offline CI, so the offline scenario runs the role's
bootstrap against this stub. It follows Portainer CE 2.33's handlers (api/http/handler/auth
and users): JSON field names, status codes, a key's secret returned only at creation, the
7-character `prefix`, JWT-only key creation that also needs the user's password, and key
listing with either a JWT or an `X-API-Key`. The online scenario checks the real thing.

    portainer_api_stub.py PORT ADMIN_PASSWORD_FILE

Like Portainer, it takes the admin password from the file once, at the first login attempt
(Portainer reads it at its first start, which the role has caused by then).
"""

import json
import secrets
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASSWORD_FILE = sys.argv[2] if len(sys.argv) > 2 else ""
JWT = "stub-jwt-" + secrets.token_hex(8)
ADMIN = {"Id": 1, "Username": "admin", "Role": 1}
KEYS: dict[int, dict] = {}
SECRETS: dict[str, int] = {}
_password: list[str] = []


def admin_password() -> str:
    if not _password:
        with open(PASSWORD_FILE, encoding="utf-8") as handle:
            _password.append(handle.read().removesuffix("\n"))
    return _password[0]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):  # one JSON line per request, on stderr
        sys.stderr.write(json.dumps({"event": "request", "line": fmt % args}) + "\n")

    def reply(self, status: int, body: object = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def payload(self) -> dict:
        length = int(self.headers.get("Content-Length", 0))
        return json.loads(self.rfile.read(length) or b"{}")

    def has_jwt(self) -> bool:
        return self.headers.get("Authorization") == f"Bearer {JWT}"

    def has_key(self) -> bool:
        return self.headers.get("X-API-Key", "") in SECRETS

    def do_GET(self):
        if self.path == "/api/system/status":
            return self.reply(200, {"Version": "2.33.6-stub"})
        if self.path == "/api/users":
            return self.reply(200, [ADMIN]) if self.has_jwt() else self.reply(401)
        if self.path == "/api/users/1/tokens":
            if not (self.has_jwt() or self.has_key()):
                return self.reply(401)
            return self.reply(200, list(KEYS.values()))
        return self.reply(404)

    def do_POST(self):
        body = self.payload()
        if self.path == "/api/auth":
            # Field names are matched case-insensitively, as Go's JSON decoder does.
            fields = {name.lower(): value for name, value in body.items()}
            if (
                fields.get("username") == "admin"
                and fields.get("password") == admin_password()
            ):
                return self.reply(200, {"jwt": JWT})
            return self.reply(422, {"message": "Invalid credentials"})
        if self.path == "/api/users/1/tokens":
            if not self.has_jwt():
                return self.reply(401)
            if not body.get("description") or body.get("password") != admin_password():
                return self.reply(400 if not body.get("description") else 403)
            raw = "ptr_" + secrets.token_urlsafe(32)
            key_id = max(KEYS, default=0) + 1
            KEYS[key_id] = {
                "id": key_id,
                "userId": 1,
                "description": body["description"],
                "prefix": raw[:7],
                "dateCreated": int(time.time()),
                "lastUsed": 0,
            }
            SECRETS[raw] = key_id
            return self.reply(200, {"rawAPIKey": raw, "apiKey": KEYS[key_id]})
        return self.reply(404)

    def do_DELETE(self):
        prefix = "/api/users/1/tokens/"
        if self.path.startswith(prefix) and self.has_jwt():
            key_id = int(self.path[len(prefix) :])
            if KEYS.pop(key_id, None) is None:
                return self.reply(404)
            for raw in [raw for raw, owner in SECRETS.items() if owner == key_id]:
                del SECRETS[raw]
            return self.reply(204)
        return self.reply(401 if self.path.startswith(prefix) else 404)


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
