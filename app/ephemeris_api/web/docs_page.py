"""The page at /v1/docs: the OpenAPI document rendered by a few lines of our own script.

Self-contained on purpose: the target host may have no route to a CDN, and a page that loads
nothing from elsewhere also needs no Content-Security-Policy exceptions. It lists the endpoints
with their request schemas and examples, and can send an example to the API.

Every URL the page uses is built from its own address: behind a proxy that serves the API under
a path prefix and strips it (X-Forwarded-Prefix), the page is at `/<prefix>/v1/docs`, so it
loads `/<prefix>/v1/openapi.json` and sends examples to `/<prefix>/v1/...`; without a prefix
the same script uses `/v1/...`.
"""

from typing import Final

DOCS_HTML: Final = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ephemeris_api</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 960px; padding: 1em; }
h1 { margin-bottom: 0; }
section { border-top: 1px solid #ccc; padding: .5em 0; }
.method { display: inline-block; min-width: 3.5em; font-weight: bold; }
.post { color: #1a5fb4; } .get { color: #26a269; }
code, pre, textarea { font: 13px/1.35 ui-monospace, monospace; }
pre { background: #f5f5f5; padding: .6em; overflow: auto; max-height: 24em; }
textarea { width: 100%; box-sizing: border-box; }
table { border-collapse: collapse; } td, th { padding: 2px 8px; text-align: left;
  vertical-align: top; border-bottom: 1px solid #eee; }
details > summary { cursor: pointer; }
</style>
</head>
<body>
<h1 id="title">ephemeris_api</h1>
<p id="description"></p>
<p>Machine-readable: <a id="document" href="/v1/openapi.json">/v1/openapi.json</a></p>
<div id="paths">Loading the OpenAPI document...</div>
<h2>Schemas</h2>
<div id="schemas"></div>
<script>
"use strict";
// The path prefix the page is served under: its own path without the trailing /v1/docs.
const PREFIX = location.pathname.replace(new RegExp("/v1/docs/?$"), "");
const DOCUMENT_URL = PREFIX + "/v1/openapi.json";
document.getElementById("document").setAttribute("href", DOCUMENT_URL);
document.getElementById("document").textContent = DOCUMENT_URL;
function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of [].concat(children || [])) {
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}
function describe(schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.oneOf) return schema.oneOf.map(describe).join(" | ");
  const parts = [];
  if (schema.type) parts.push([].concat(schema.type).join("|"));
  if (schema.enum) parts.push("one of " + schema.enum.map(String).join(", "));
  if (schema.items) parts.push("of " + describe(schema.items));
  for (const key of ["minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"]) {
    if (key in schema) parts.push(key + " " + schema[key]);
  }
  if ("default" in schema) parts.push("default " + JSON.stringify(schema.default));
  return parts.join(", ");
}
function schemaTable(schema) {
  const required = new Set(schema.required || []);
  const rows = Object.entries(schema.properties || {}).map(([name, property]) =>
    el("tr", {}, [el("td", {}, el("code", {}, name + (required.has(name) ? " *" : ""))),
                  el("td", {}, describe(property)),
                  el("td", {}, property.description || "")]));
  return el("table", {}, [el("tr", {}, [el("th", {}, "field"), el("th", {}, "type"),
                                        el("th", {}, "meaning")]), ...rows]);
}
function tryIt(path, method, example) {
  const box = el("textarea", {rows: 8}, JSON.stringify(example, null, 2));
  const output = el("pre", {}, "");
  const button = el("button", {type: "button"}, "Send");
  button.addEventListener("click", async () => {
    output.textContent = "...";
    try {
      const options = {method: method.toUpperCase()};
      if (method === "post") {
        options.body = box.value;
        options.headers = {"Content-Type": "application/json"};
      }
      const response = await fetch(PREFIX + path, options);
      const text = await response.text();
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (error) { /* text */ }
      output.textContent = response.status + "\\n" + shown;
    } catch (error) {
      output.textContent = String(error);
    }
  });
  return el("details", {}, [el("summary", {}, "Try it"),
                            method === "post" ? box : "", button, output]);
}
function render(spec) {
  document.getElementById("title").textContent = spec.info.title + " " + spec.info.version;
  document.getElementById("description").textContent = spec.info.description || "";
  const paths = document.getElementById("paths");
  paths.textContent = "";
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const section = el("section", {id: operation.operationId}, [
        el("h3", {}, [el("span", {class: "method " + method}, method.toUpperCase()),
                      el("code", {}, path)]),
        el("p", {}, operation.summary || "")]);
      const body = operation.requestBody && operation.requestBody.content["application/json"];
      if (body) {
        section.append(el("p", {}, "Body: " + describe(body.schema)));
        section.append(el("pre", {}, JSON.stringify(body.example, null, 2)));
      }
      section.append(el("p", {}, "Answers: " + Object.keys(operation.responses).join(", ")));
      if (path.startsWith("/v1/") && path !== "/v1/docs") {
        section.append(tryIt(path, method, body ? body.example : null));
      }
      paths.append(section);
    }
  }
  const schemas = document.getElementById("schemas");
  for (const [name, schema] of Object.entries(spec.components.schemas)) {
    schemas.append(el("section", {id: "schema-" + name}, [
      el("h3", {}, name), el("p", {}, schema.description || ""), schemaTable(schema)]));
  }
}
fetch(DOCUMENT_URL)
  .then((response) => response.json())
  .then(render)
  .catch((error) => {
    document.getElementById("paths").textContent = "Could not load the document: " + error;
  });
</script>
</body>
</html>
"""
