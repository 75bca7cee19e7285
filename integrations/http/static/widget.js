// Embed: <script src="https://ADVOCATE/widget.js" data-token="TOKEN" async></script>
// Adds an iframe of ADVOCATE/widget beside the script tag (or inside data-target). The token goes
// in the iframe URL's fragment, which browsers never send to a server or in a Referer header.
// Optional: data-as-of="YYYY-MM-DD", data-title, data-width, data-height, data-target="#css-selector".
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var token = script.getAttribute("data-token");
  if (!token) { console.error("Advocate widget: data-token is missing"); return; }
  var page = new URL("widget", script.src);
  var hash = new URLSearchParams({ token: token });
  if (script.getAttribute("data-as-of")) hash.set("as_of", script.getAttribute("data-as-of"));
  var frame = document.createElement("iframe");
  frame.src = page.href + "#" + hash.toString();
  frame.title = script.getAttribute("data-title") || "Help chat";
  frame.setAttribute("referrerpolicy", "no-referrer");
  frame.style.width = script.getAttribute("data-width") || "380px";
  frame.style.height = script.getAttribute("data-height") || "620px";
  frame.style.border = "1px solid #d0d7de";
  frame.style.borderRadius = "8px";
  var selector = script.getAttribute("data-target");
  var target = selector && document.querySelector(selector);
  if (target) target.append(frame);
  else script.after(frame);
})();
