#!/usr/bin/env python3
"""A local stand-in for the Hugging Face Hub's two public endpoints that mlicense uses, for tests.

    GET /api/models/{repo_id}[/revision/{revision}]   model info (id, sha, cardData, siblings, gated, tags)
    GET|HEAD /{repo_id}/resolve/{revision}/{filename} a file, with X-Repo-Commit, ETag and Content-Length
                                                      as huggingface_hub's hf_hub_download expects

Usage: hub_emulator.py SPEC.json. Binds 127.0.0.1 on an ephemeral port and prints `PORT <n>` on its
first line. SPEC.json is read again on every request (tests change it between runs):

    {"models": {"org/name": {
        "sha": "<40 hex>", "cardData": {...} | null, "files": {"README.md": "text", ...},
        "gated": false | "auto" | "manual",   # gated: files need a token, the info is public
        "private": false,                      # private: everything needs the token
        "token": "secret",                     # the token that opens a gated or private repo
        "renamed_to": "org/new",               # answers 307 to the new name
        "rate_limit": 0,                       # the first N info requests answer 429 (Retry-After: 0)
        "delay": 0.0}}}                        # seconds before answering

It exits when its standard input closes (the test that started it holds it), unless
HUB_EMULATOR_DETACHED=1. Every request is logged to SPEC.json.log, one JSON line each: [method, path, whether an
Authorization header came, its value].
"""
import hashlib
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SPEC = sys.argv[1]
LOCK = threading.Lock()
SEEN = {}


def load():
    with open(SPEC, encoding="utf-8") as f:
        return json.load(f).get("models", {})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=None, head=False):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def error(self, status, code, message, head=False):
        body = json.dumps({"error": message}).encode()
        self.send(status, body, {"Content-Type": "application/json", "X-Error-Code": code, "X-Error-Message": message}, head)

    def authorized(self, model):
        return self.headers.get("Authorization") == "Bearer " + model.get("token", "\0")

    def do_HEAD(self):
        self.handle_request(head=True)

    def do_GET(self):
        self.handle_request(head=False)

    def handle_request(self, head):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        auth = self.headers.get("Authorization")
        with LOCK:
            with open(SPEC + ".log", "a", encoding="utf-8") as log:
                log.write(json.dumps([self.command, path, auth is not None, auth or ""]) + "\n")
        models = load()
        parts = path.strip("/").split("/")
        if len(parts) >= 3 and parts[0] == "api" and parts[1] == "models":
            rest = parts[2:]
            if "revision" in rest:
                i = rest.index("revision")
                repo, revision = "/".join(rest[:i]), "/".join(rest[i + 1:])
            else:
                repo, revision = "/".join(rest), "main"
            return self.info(models, repo, revision, head)
        if "resolve" in parts:
            i = parts.index("resolve")
            repo, revision, filename = "/".join(parts[:i]), parts[i + 1], "/".join(parts[i + 2:])
            return self.resolve(models, repo, revision, filename, head)
        return self.error(404, "EntryNotFound", "no such endpoint", head)

    def lookup(self, models, repo):
        for k, v in models.items():
            if k.lower() == repo.lower():
                return k, v
        return None, None

    def info(self, models, repo, revision, head):
        name, model = self.lookup(models, repo)
        if model is None:
            return self.error(401 if self.headers.get("Authorization") is None else 404, "RepoNotFound",
                              f"Repository Not Found for url: {self.path}.", head)
        time.sleep(model.get("delay", 0))
        if model.get("renamed_to"):
            return self.send(307, b"", {"Location": f"/api/models/{model['renamed_to']}/revision/{revision}"}, head)
        limit = model.get("rate_limit", 0)
        with LOCK:
            SEEN[name] = SEEN.get(name, 0) + 1
            count = SEEN[name]
        if count <= limit:
            return self.send(429, b'{"error": "rate limited"}', {"Retry-After": "0", "Content-Type": "application/json"}, head)
        if model.get("private") and not self.authorized(model):
            return self.error(401, "RepoNotFound", "Repository Not Found", head)
        sha = model.get("sha", "0" * 40)
        if revision not in ("main", sha):
            return self.error(404, "RevisionNotFound", f"Invalid rev id: {revision}", head)
        files = model.get("files", {})
        body = {
            "_id": hashlib.sha1(name.encode()).hexdigest()[:24], "id": name, "modelId": name, "author": name.split("/")[0],
            "sha": sha, "lastModified": "2025-01-01T00:00:00.000Z", "createdAt": "2025-01-01T00:00:00.000Z",
            "private": bool(model.get("private", False)), "gated": model.get("gated", False), "disabled": False,
            "downloads": 0, "likes": 0, "tags": model.get("tags", []),
            "siblings": [{"rfilename": f} for f in sorted(files)],
        }
        if model.get("cardData") is not None:
            body["cardData"] = model["cardData"]
        return self.send(200, json.dumps(body).encode(), {"Content-Type": "application/json"}, head)

    def resolve(self, models, repo, revision, filename, head):
        name, model = self.lookup(models, repo)
        if model is None:
            return self.error(401, "RepoNotFound", "Repository Not Found", head)
        time.sleep(model.get("delay", 0))
        if model.get("renamed_to"):
            return self.send(307, b"", {"Location": f"/{model['renamed_to']}/resolve/{revision}/{filename}"}, head)
        if (model.get("private") or model.get("gated")) and not self.authorized(model):
            if model.get("private"):
                return self.error(401, "RepoNotFound", "Repository Not Found", head)
            return self.error(403, "GatedRepo", f"Access to model {name} is restricted.", head)
        sha = model.get("sha", "0" * 40)
        if revision not in ("main", sha):
            return self.error(404, "RevisionNotFound", f"Invalid rev id: {revision}", head)
        files = model.get("files", {})
        if filename not in files:
            return self.error(404, "EntryNotFound", f"{filename} does not exist on \"{revision}\"", head)
        data = files[filename].encode()
        etag = '"' + hashlib.sha1(data).hexdigest() + '"'
        return self.send(200, data, {"X-Repo-Commit": sha, "ETag": etag, "Content-Type": "text/plain; charset=utf-8"}, head)


def exit_with_parent():
    # The test that started the emulator holds its standard input open: end when it closes.
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    # A parent may start it with signals blocked; SIGTERM must end it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    if os.environ.get("HUB_EMULATOR_DETACHED") != "1":
        threading.Thread(target=exit_with_parent, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
