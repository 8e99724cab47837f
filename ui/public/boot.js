// Runs before the app's code (index.html loads it first; no inline script, for the CSP).
// 1. The access token: the window and `bun run dev` inject window.__SAGE__ with it; in a browser it
//    arrives once as ?token= (the URL Sage printed) and is kept in this origin's localStorage, which
//    pages on other ports cannot read (cookies would be sent to every 127.0.0.1 server). The token
//    then leaves the address bar.
// 2. The saved theme, applied before first paint (no flash of the wrong theme).
// 3. Opening a chat: its newest messages are requested now, while the app's code still loads
//    (ui/src/state/transcripts.ts takes this answer instead of asking again).
(function () {
  var sage = window.__SAGE__ || (window.__SAGE__ = {});
  var params = new URLSearchParams(location.search);
  var fromUrl = params.get("token");
  if (fromUrl) {
    params.delete("token");
    var rest = params.toString();
    history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
  }
  try {
    if (sage.token) localStorage.setItem("sage.token", sage.token);
    else if (fromUrl) localStorage.setItem("sage.token", (sage.token = fromUrl));
    else sage.token = localStorage.getItem("sage.token") || undefined;
  } catch (e) {
    sage.token = sage.token || fromUrl || undefined;
  }

  var theme = localStorage.getItem("sage.theme") || "system";
  var dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);

  var match = /^\/s\/([^/?#]+)/.exec(location.pathname);
  if (!match || !window.fetch || !sage.token) return;
  var url = "/api/sessions/" + match[1] + "/messages?limit=80";
  window.__SAGE_PREFETCH__ = {
    url: url,
    response: fetch(url, { headers: { authorization: "Bearer " + sage.token } }),
  };
})();
