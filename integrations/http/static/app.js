// The widget page: a chat with streamed, cited answers; "talk to my CSM"; feedback.
// Safe rendering: every piece of text is a text node (nothing is parsed as HTML); links only to
// http(s) URLs on the hosts the server allows; the page runs under a strict CSP.
(function () {
  "use strict";
  var params = new URLSearchParams(location.hash.slice(1));
  var token = params.get("token") || "";
  var asOf = params.get("as_of") || null;
  history.replaceState(null, "", location.pathname + location.search); // the token leaves the address bar
  var state = { conversationId: null, hosts: [], busy: false };
  var $ = function (id) { return document.getElementById(id); };
  var log = $("adv-log"), input = $("adv-input"), status = $("adv-status");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function say(text, isError) { status.textContent = text; status.className = "adv-status" + (isError ? " adv-error" : ""); }

  function api(path, options) {
    options = options || {};
    var headers = Object.assign({ "Authorization": "Bearer " + token }, options.headers || {});
    if (options.body) headers["Content-Type"] = "application/json";
    return fetch(path, { method: options.method || "GET", headers: headers, body: options.body,
                         credentials: "omit", referrerPolicy: "no-referrer" });
  }
  function errorText(res) {
    return res.json().then(function (b) { return (b.error && b.error.message) || res.statusText; },
                           function () { return res.status + " " + res.statusText; });
  }

  function allowedUrl(url) {
    try {
      var u = new URL(url);
      return (u.protocol === "https:" || u.protocol === "http:") && !u.username && state.hosts.indexOf(u.hostname) >= 0;
    } catch (e) { return false; }
  }

  // Inline Markdown subset: **bold**, [n] citation marks, [label](url) links on allowed hosts.
  function inline(text, msgId, citations) {
    var out = [], re = /\*\*([^*]+)\*\*|\[(\d{1,3})\]|\[([^\]]+)\]\(([^)\s]+)\)/g, last = 0, m;
    while ((m = re.exec(text))) {
      if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
      if (m[1] !== undefined) out.push(el("strong", {}, [m[1]]));
      else if (m[2] !== undefined) {
        var n = Number(m[2]);
        if (n >= 1 && n <= citations.length) {
          out.push(el("a", { "href": "#" + msgId + "-src-" + n, "class": "adv-cite",
                             "aria-label": "source " + n + ": " + (citations[n - 1].title || citations[n - 1].id) }, ["[" + n + "]"]));
        } else out.push(document.createTextNode(m[0]));
      } else if (allowedUrl(m[4])) {
        out.push(el("a", { "href": m[4], "target": "_blank", "rel": "noopener noreferrer" }, [m[3]]));
      } else out.push(document.createTextNode(m[3]));
      last = re.lastIndex;
    }
    if (last < text.length) out.push(document.createTextNode(text.slice(last)));
    return out;
  }

  function renderAnswer(body, answer, msgId) {
    body.replaceChildren();
    var list = null, cites = answer.citations || [];
    answer.answer.split("\n").forEach(function (line) {
      var bullet = /^\s*[-*]\s+(.*)$/.exec(line), numbered = /^\s*\d{1,3}\.\s+(.*)$/.exec(line);
      var item = bullet || numbered, tag = bullet ? "UL" : "OL";
      if (item) {
        if (!list || list.tagName !== tag) { list = el(tag.toLowerCase()); body.append(list); }
        list.append(el("li", {}, inline(item[1], msgId, cites)));
        return;
      }
      list = null;
      var text = line.replace(/^#{1,6}\s+/, "");
      if (text.trim()) body.append(el("p", {}, inline(text, msgId, cites)));
    });
    if (cites.length) {
      var ol = el("ol");
      cites.forEach(function (c, i) {
        var label = c.title || c.id;
        var item = el("li", { "id": msgId + "-src-" + (i + 1) });
        if (c.url && allowedUrl(c.url)) {
          item.append(el("a", { "href": c.url, "target": "_blank", "rel": "noopener noreferrer", "class": "adv-doc" }, [label]));
        } else item.append(label);
        item.append(" (" + c.source.replace("_", " ") + ")");
        ol.append(item);
      });
      body.append(el("div", { "class": "adv-sources" }, [el("p", { "class": "adv-small" }, ["Sources"]), ol]));
    }
  }

  function rating(conversationId) {
    var wrap = el("div", { "class": "adv-rate", "role": "group", "aria-label": "Was this helpful?" });
    [["up", "Helpful"], ["down", "Not helpful"]].forEach(function (r) {
      var b = el("button", { "type": "button" }, [r[1]]);
      b.addEventListener("click", function () {
        api("v1/feedback", { method: "POST", body: JSON.stringify({ conversation_id: conversationId, rating: r[0] }) })
          .then(function (res) { say(res.ok ? "Thanks for the feedback." : "Feedback was not saved.", !res.ok); });
        wrap.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
      });
      wrap.append(b);
    });
    return wrap;
  }

  var counter = 0;
  function addMessage(who, text) {
    var id = "m" + (++counter);
    var body = el("div", { "class": "adv-body" });
    if (text) body.append(el("p", {}, [text]));
    var msg = el("article", { "class": "adv-msg " + who, "id": id, "aria-label": who === "user" ? "You" : "Answer" },
                 [el("p", { "class": "adv-who" }, [who === "user" ? "You" : "Assistant"]), body]);
    log.append(msg);
    log.scrollTop = log.scrollHeight;
    return { id: id, msg: msg, body: body };
  }

  // Reads server-sent events from a fetch body: calls onEvent(name, data) per event.
  function readEvents(res, onEvent) {
    var reader = res.body.getReader(), decoder = new TextDecoder(), buffer = "";
    function pump() {
      return reader.read().then(function (r) {
        buffer += decoder.decode(r.value || new Uint8Array(), { stream: !r.done });
        var parts = buffer.split("\n\n");
        buffer = parts.pop();
        parts.forEach(function (block) {
          var name = "message", data = "";
          block.split("\n").forEach(function (line) {
            if (line.indexOf("event: ") === 0) name = line.slice(7);
            else if (line.indexOf("data: ") === 0) data += line.slice(6);
          });
          if (data) onEvent(name, JSON.parse(data));
        });
        return r.done ? null : pump();
      });
    }
    return pump();
  }

  function ask(question) {
    if (state.busy || !question.trim()) return;
    state.busy = true;
    $("adv-send").disabled = true;
    addMessage("user", question);
    var reply = addMessage("assistant", "");
    reply.msg.setAttribute("aria-busy", "true");
    var live = document.createTextNode("");
    reply.body.append(el("p", {}, [live]));
    say("Answering…");
    var payload = { message: question };
    if (state.conversationId) payload.conversation_id = state.conversationId;
    if (asOf) payload.as_of = asOf;
    api("v1/chat", { method: "POST", body: JSON.stringify(payload), headers: { "Accept": "text/event-stream" } })
      .then(function (res) {
        if (!res.ok) return errorText(res).then(function (t) { throw new Error(t); });
        return readEvents(res, function (name, data) {
          if (name === "delta") { live.appendData(data.text); log.scrollTop = log.scrollHeight; }
          else if (name === "done") {
            state.conversationId = data.conversation_id;
            renderAnswer(reply.body, data, reply.id);
            reply.msg.append(rating(data.conversation_id));
          }
        });
      })
      .then(function () { say(""); }, function (err) {
        reply.body.replaceChildren(el("p", { "class": "adv-error" }, ["Sorry: " + err.message]));
        say("The question could not be answered.", true);
      })
      .finally(function () {
        reply.msg.setAttribute("aria-busy", "false");
        state.busy = false;
        $("adv-send").disabled = false;
        input.focus();
      });
  }

  $("adv-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value;
    input.value = "";
    ask(q);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("adv-form").requestSubmit(); }
  });

  var csmOpen = $("adv-csm-open"), csmForm = $("adv-csm-form");
  csmOpen.addEventListener("click", function () {
    csmForm.hidden = !csmForm.hidden;
    csmOpen.setAttribute("aria-expanded", String(!csmForm.hidden));
    if (!csmForm.hidden) $("adv-csm-message").focus();
  });
  csmForm.addEventListener("submit", function (e) {
    e.preventDefault();
    $("adv-csm-send").disabled = true;
    api("v1/csm-requests", { method: "POST", body: JSON.stringify({ message: $("adv-csm-message").value }) })
      .then(function (res) {
        if (!res.ok) return errorText(res).then(function (t) { throw new Error(t); });
        return res.json().then(function (r) {
          csmForm.hidden = true;
          csmOpen.setAttribute("aria-expanded", "false");
          $("adv-csm-message").value = "";
          say("Your CSM has been asked to get in touch (request " + r.id + ").");
        });
      })
      .catch(function (err) { say("The request was not sent: " + err.message, true); })
      .finally(function () { $("adv-csm-send").disabled = false; });
  });

  if (!token) { say("This widget needs a token: embed it with widget.js and data-token.", true); return; }
  api("v1/widget/config").then(function (res) {
    if (!res.ok) return errorText(res).then(function (t) { throw new Error(t); });
    return res.json().then(function (cfg) {
      state.hosts = cfg.link_hosts || [];
      $("adv-account").textContent = cfg.account_name;
      document.title = "Help · " + cfg.account_name;
      var ul = $("adv-suggestions");
      cfg.suggested_questions.forEach(function (q) {
        var b = el("button", { "type": "button" }, [q]);
        b.addEventListener("click", function () { ask(q); });
        ul.append(el("li", {}, [b]));
      });
    });
  }).catch(function (err) { say("The widget could not start: " + err.message, true); });
})();
