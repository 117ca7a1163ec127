"use strict";
// Shared by the pages: every write sends the session's CSRF token; errors arrive as {code, message}.
const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

async function api(method, url, body) {
  const options = { method, credentials: "same-origin", headers: { "X-CSRF-Token": csrfToken() } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  let data = null;
  if (response.status !== 204) {
    data = await response.json().catch(() => null);
  }
  return { ok: response.ok, status: response.status, data };
}

function say(text, isError) {
  const box = document.getElementById("message") || document.getElementById("queue-message");
  if (!box) return;
  box.textContent = text;
  box.className = isError ? "error" : "ok";
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}
