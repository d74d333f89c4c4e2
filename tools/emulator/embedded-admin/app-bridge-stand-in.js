/* global window, document, customElements, HTMLElement, MutationObserver */
// App Bridge stand-in served by the store emulator in place of https://cdn.shopify.com/shopifycloud/app-bridge.js
// (unreachable offline). It gives the embedded app what it uses of App Bridge: `shopify.idToken()`, the
// session token as `Authorization: Bearer` on the app's own fetches (Remix data requests included), the
// bounce-page reload, `shopify.toast`, and inert <ui-nav-menu>/<ui-title-bar> elements. Tokens come from the
// emulator (which holds the app secret, like Shopify admin does). Not Shopify's code: project-written.
(function () {
  "use strict";
  var script = document.currentScript;
  // Filled in by the emulator when it serves this file (the script may be served under the CDN's URL).
  var emulatorOrigin = "__EMULATOR_ORIGIN__";
  var apiKey = script.getAttribute("data-api-key") || "";
  var params = new URLSearchParams(window.location.search);
  var shop = params.get("shop") || sessionStorage.getItem("emulator:shop") || "";
  var host = params.get("host") || sessionStorage.getItem("emulator:host") || "";
  if (shop) sessionStorage.setItem("emulator:shop", shop);
  if (host) sessionStorage.setItem("emulator:host", host);

  var cached = null;
  function idToken() {
    if (cached && cached.expires > Date.now() + 5000) return Promise.resolve(cached.token);
    var url =
      emulatorOrigin + "/session-token?shop=" + encodeURIComponent(shop) + "&api_key=" + encodeURIComponent(apiKey);
    return nativeFetch(url, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error("App Bridge stand-in: no session token (" + response.status + ")");
        return response.json();
      })
      .then(function (body) {
        cached = { token: body.token, expires: Date.now() + body.expiresIn * 1000 };
        return body.token;
      });
  }

  // Like App Bridge: requests to the app's own origin carry the session token.
  var nativeFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(
      typeof input === "string" || input instanceof URL ? String(input) : input.url,
      window.location.href,
    );
    if (url.origin !== window.location.origin) return nativeFetch(input, init);
    return idToken().then(function (token) {
      var request = new Request(input, init);
      var headers = new Headers(request.headers);
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      return nativeFetch(new Request(request, { headers: headers }));
    });
  };

  function toast(message, options) {
    var node = document.createElement("div");
    node.setAttribute("role", "status");
    node.className = "emulator-toast" + (options && options.isError ? " emulator-toast--error" : "");
    node.textContent = message;
    node.style.cssText =
      "position:fixed;bottom:16px;left:50%;transform:translateX(-50%);padding:8px 16px;border-radius:8px;" +
      "color:#fff;font:14px system-ui;z-index:2147483647;background:" +
      (options && options.isError ? "#8e1f0b" : "#303030");
    document.body.appendChild(node);
    setTimeout(
      function () {
        node.remove();
      },
      (options && options.duration) || 5000,
    );
    return String(Date.now());
  }

  window.shopify = {
    config: { apiKey: apiKey, shop: shop, host: host, locale: params.get("locale") || "en" },
    environment: { embedded: window.top !== window.self, mobile: false, pos: false },
    origin: window.location.origin,
    idToken: idToken,
    toast: { show: toast, hide: function () {} },
    loading: function () {},
    saveBar: {
      show: function () {
        return Promise.resolve();
      },
      hide: function () {
        return Promise.resolve();
      },
      toggle: function () {
        return Promise.resolve();
      },
      leaveConfirmation: function () {
        return Promise.resolve();
      },
    },
    modal: {
      show: function () {
        return Promise.resolve();
      },
      hide: function () {
        return Promise.resolve();
      },
      toggle: function () {
        return Promise.resolve();
      },
    },
    resourcePicker: function () {
      return Promise.reject(new Error("resourcePicker is not emulated"));
    },
  };

  // Navigation and title bar are drawn by the admin around the frame; here they are inert. The admin
  // page of the emulator draws the nav links it is sent.
  [
    ["ui-nav-menu", true],
    ["ui-title-bar", true],
    ["ui-save-bar", true],
    ["ui-modal", true],
  ].forEach(function (entry) {
    if (customElements.get(entry[0])) return;
    customElements.define(
      entry[0],
      class extends HTMLElement {
        connectedCallback() {
          this.style.display = "none";
          if (entry[0] !== "ui-nav-menu" || window.parent === window) return;
          var post = () => {
            var links = Array.prototype.map.call(this.querySelectorAll("a"), function (a) {
              return { label: a.textContent, href: a.getAttribute("href"), home: a.getAttribute("rel") === "home" };
            });
            window.parent.postMessage({ type: "emulator:nav-menu", links: links }, emulatorOrigin);
          };
          // Upgraded while the parser is still inside it: the links come later.
          if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", post);
          else post();
          new MutationObserver(post).observe(this, { childList: true, subtree: true, characterData: true });
        }
      },
    );
  });

  // The library's bounce page (/auth/session-token?shopify-reload=…) expects App Bridge to reload the
  // target with a fresh id_token.
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var target = new URL(reload, window.location.href);
      target.searchParams.set("id_token", token);
      window.location.replace(target.toString());
    });
  }
})();
