// The simulator page: pick who you are and which chat, poll the transcript, send, press buttons.
"use strict";
const $ = (id) => document.getElementById(id);
const words = JSON.parse(document.body.dataset.words);
let after = 0, replyTo = null, timer = null, toastTimer = null;

function toast(text) {
  const el = $("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

// The list keeps room for the composer's real height, so the newest message stays in view.
function fitComposer() {
  const h = $("form").offsetHeight;
  $("log").style.paddingBottom = (h + 8) + "px";
  $("toast").style.bottom = (h + 8) + "px";
}

async function api(path, body) {
  const opts = body instanceof FormData ? {method: "POST", body}
    : body ? {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)} : {};
  let r;
  try {
    r = await fetch(path, opts);
  } catch (e) {
    toast(words.network);
    return null;
  }
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) {
    toast((data && data.error && r.status !== 400) ? data.error : words.failed);
    return null;
  }
  return data;
}

async function init() {
  const cfg = await api("/chat/api/config");
  if (!cfg) return;
  for (const u of cfg.users) $("user").add(new Option(u.name + " (" + u.role + ")", u.id));
  for (const g of cfg.groups) $("chat").add(new Option(g.title, g.id));
  $("chat").add(new Option(words.private, "private"));
  $("user").onchange = $("chat").onchange = reset;
  reset();
}

function setReply(id, text) {
  replyTo = id;
  $("replying").textContent = id ? "↩ " + (text || "").slice(0, 60) : "";
  fitComposer();
}

function reset() { after = 0; setReply(null); $("log").innerHTML = ""; poll(); }

async function press(m, b) {
  const data = await api("/chat/api/send", {user: $("user").value, chat: $("chat").value,
                                            button: b.data, message_id: m.id});
  if (data && data.toast) toast(data.toast);
  poll();
}

function render(m) {
  const me = m.from !== "bot";
  const div = document.createElement("div");
  div.className = "msg " + (me ? "me" : "bot");
  div.dataset.id = m.id;
  if (me) { const n = document.createElement("div"); n.className = "name"; n.textContent = m.name || m.from; div.append(n); }
  if (m.title) { const b = document.createElement("b"); b.className = "title"; b.textContent = m.title; div.append(b); }
  const t = document.createElement("div"); t.textContent = m.text; div.append(t);
  for (const url of m.media || []) { const img = document.createElement("img"); img.src = url; img.alt = ""; img.onload = scrollIfNear; div.append(img); }
  if (m.buttons && m.buttons.length) {
    const row = document.createElement("div"); row.className = "btns";
    for (const r of m.buttons) for (const b of r) {
      const btn = document.createElement("button"); btn.type = "button"; btn.textContent = b.text;
      btn.onclick = () => press(m, b);
      row.append(btn);
    }
    div.append(row);
  }
  const rep = document.createElement("button"); rep.type = "button"; rep.className = "reply";
  rep.textContent = "↩ " + words.reply;
  rep.onclick = () => { setReply(m.id, m.text); $("text").focus(); };
  div.append(rep);
  return div;
}

let stick = true;
function scrollIfNear() { if (stick) window.scrollTo(0, document.body.scrollHeight); }
window.addEventListener("scroll", () => {
  stick = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
});

async function poll() {
  clearTimeout(timer);
  const q = new URLSearchParams({user: $("user").value, chat: $("chat").value, after});
  const data = await api("/chat/api/messages?" + q);
  if (data) {
    for (const m of data.messages || []) {
      const old = document.querySelector('.msg[data-id="' + m.id + '"]');
      if (old) old.replaceWith(render(m)); else $("log").append(render(m));
      after = Math.max(after, m.rev);
    }
    if ((data.messages || []).length) { stick = true; scrollIfNear(); }
  }
  timer = setTimeout(poll, 1500);
}

$("photo").onchange = () => { $("photo-label").classList.toggle("chosen", !!$("photo").files[0]); };
$("form").onsubmit = async (e) => {
  e.preventDefault();
  const fd = new FormData();
  fd.append("user", $("user").value); fd.append("chat", $("chat").value);
  fd.append("text", $("text").value);
  if (replyTo) fd.append("reply_to", replyTo);
  if ($("photo").files[0]) fd.append("photo", $("photo").files[0]);
  $("text").value = ""; $("photo").value = ""; $("photo-label").classList.remove("chosen");
  setReply(null);
  await api("/chat/api/send", fd);
  poll();
};
new ResizeObserver(fitComposer).observe($("form"));
fitComposer();
init();
