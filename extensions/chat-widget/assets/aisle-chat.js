/* Aisle storefront chat widget: vanilla JS, no build step, rendered in a shadow root.
 * Safety rules kept throughout: model text only ever becomes text nodes (never innerHTML), and
 * links go only to the shop's own /products/<handle> pages. */
(function () {
  "use strict";

  var root = document.getElementById("aisle-chat-root");
  var configNode = document.getElementById("aisle-chat-config");
  if (!root || !configNode || root.shadowRoot) return;

  var config;
  try {
    config = JSON.parse(configNode.textContent || "{}");
  } catch {
    return;
  }
  var S = config.strings || {};
  // The AI label is never absent: a config without it (an older block, a stripped setting) gets English.
  S.aiLabel = S.aiLabel || "AI assistant, not a person";
  S.aiIntro = S.aiIntro || "I'm an AI assistant, not a person.";
  var PROXY = config.proxyPath || "/apps/aisle";
  // The store's own contact page: a path on this storefront only.
  var CONTACT_PATH = /^\/[^/\\]/.test(config.contactPath || "") ? config.contactPath : "/pages/contact";
  // One saved conversation per shopper identity: after logging out (a shared computer), the customer's
  // chat is not shown to whoever uses the browser next, and the server would not continue it anyway.
  var STORE_KEY =
    "aisle-chat:v1:" +
    (config.shop || location.host) +
    ":" +
    (config.customerId ? "customer-" + config.customerId : "guest");
  var MAX_KEPT_MESSAGES = 40;

  // ---- state kept across navigation and reloads ---------------------------------------------
  function loadState() {
    try {
      var saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch {
      /* storage blocked or corrupt: start fresh */
    }
    // The visitor id is issued (and signed) by the app on the first request; the widget only keeps it.
    return { visitorId: null, conversationId: null, messages: [], open: false };
  }
  function saveState() {
    try {
      state.messages = state.messages.slice(-MAX_KEPT_MESSAGES);
      localStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch {
      /* private mode: the chat still works for this page */
    }
  }
  // Keeps the id the app issued (it replaces one it did not issue, e.g. from an older widget).
  function keepVisitorId(id) {
    if (typeof id === "string" && id && id !== state.visitorId) {
      state.visitorId = id;
      saveState();
    }
  }
  var state = loadState();

  // ---- small helpers ---------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function fill(template, values) {
    return String(template || "").replace(/\{\{\s*(\w+)\s*\}\}|\{(\w+)\}/g, function (match, a, b) {
      var key = a || b;
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  // Shopify money formats: "${{amount}}", "{{amount_with_comma_separator}} €", HTML allowed.
  function formatMoney(amount, format) {
    var value = Number(amount);
    if (!isFinite(value)) return String(amount);
    var plain = String(format || "").replace(/<[^>]*>/g, "");
    if (!/\{\{\s*\w+\s*\}\}/.test(plain)) {
      try {
        return new Intl.NumberFormat(config.locale || undefined, {
          style: "currency",
          currency: config.currency || "USD",
        }).format(value);
      } catch {
        return value.toFixed(2);
      }
    }
    function group(number, decimals, thousands, decimal) {
      var parts = number.toFixed(decimals).split(".");
      parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
      return parts.join(decimal);
    }
    return plain.replace(/\{\{\s*(\w+)\s*\}\}/g, function (match, name) {
      switch (name) {
        case "amount":
          return group(value, 2, ",", ".");
        case "amount_no_decimals":
          return group(value, 0, ",", ".");
        case "amount_with_comma_separator":
          return group(value, 2, ".", ",");
        case "amount_no_decimals_with_comma_separator":
          return group(value, 0, ".", ",");
        case "amount_with_space_separator":
          return group(value, 2, " ", ",");
        case "amount_no_decimals_with_space_separator":
          return group(value, 0, " ", ",");
        case "amount_with_apostrophe_separator":
          return group(value, 2, "'", ".");
        default:
          return group(value, 2, ",", ".");
      }
    });
  }

  // WCAG AA: whichever of black or white text has the higher contrast on the merchant's accent.
  function luminance(hex) {
    var match = /^#?([0-9a-f]{6})$/i.exec(hex || "");
    if (!match) return null;
    var rgb = [0, 2, 4].map(function (i) {
      var c = parseInt(match[1].slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }
  function textOn(hex) {
    var l = luminance(hex);
    if (l === null) return null;
    return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
  }

  function safeProductPath(path) {
    return typeof path === "string" && /^\/products\/[^/?#\\]+$/.test(path) ? path : null;
  }

  // The storefront's own policy and page paths; anything else is shown as plain text, never linked.
  function safeSourcePath(path) {
    return typeof path === "string" && /^\/(policies|pages)\/[^/?#\\]+$/.test(path) ? path : null;
  }

  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var bubble = document.createElementNS(ns, "path");
    bubble.setAttribute("d", "M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-5 4v-4H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z");
    bubble.setAttribute("fill", "currentColor");
    svg.appendChild(bubble);
    return svg;
  }

  // ---- DOM -------------------------------------------------------------------------------------
  var shadow = root.attachShadow({ mode: "open" });
  var accent = /^#[0-9a-f]{6}$/i.test(root.getAttribute("data-accent") || "") ? root.getAttribute("data-accent") : null;
  var host = el("div", {
    className: "aisle" + (root.getAttribute("data-position") === "bottom-left" ? " aisle--left" : ""),
    style: accent ? "--aisle-accent:" + accent + ";--aisle-on-accent:" + textOn(accent) : null,
  });
  if (config.stylesheet) shadow.appendChild(el("link", { rel: "stylesheet", href: config.stylesheet }));
  shadow.appendChild(host);

  var launcher = el(
    "button",
    {
      type: "button",
      className: "aisle-launcher",
      // Named by its visible text (WCAG 2.5.3, label in name); open or closed is aria-expanded's to say.
      "aria-haspopup": "dialog",
      "aria-expanded": "false",
      "aria-controls": "aisle-panel",
      onclick: function () {
        setOpen(!state.open);
      },
    },
    [chatIcon(), el("span", { text: S.launcher })],
  );

  var titleId = "aisle-title";
  var aiLabelId = "aisle-ai-label";
  var log = el("div", { className: "aisle-log", role: "log", "aria-live": "polite", "aria-label": S.title });
  var typing = el("div", { className: "aisle-typing", role: "status", hidden: true }, [
    el("span", { className: "aisle-visually-hidden", text: S.typing }),
    el("span", { className: "aisle-dot", "aria-hidden": "true" }),
    el("span", { className: "aisle-dot", "aria-hidden": "true" }),
    el("span", { className: "aisle-dot", "aria-hidden": "true" }),
  ]);
  var notice = el("div", { className: "aisle-notice", role: "alert", hidden: true });
  var suggestions = el("div", { className: "aisle-suggestions", role: "group", "aria-label": S.suggestions });
  var input = el("textarea", {
    id: "aisle-input",
    className: "aisle-input",
    rows: "1",
    placeholder: S.placeholder,
    autocomplete: "off",
    maxlength: "1000",
  });
  var sendButton = el("button", { type: "submit", className: "aisle-send", text: S.send });
  var form = el("form", { className: "aisle-form", onsubmit: onSubmit }, [
    el("label", { for: "aisle-input", className: "aisle-visually-hidden", text: S.inputLabel }),
    input,
    sendButton,
  ]);
  var closeButton = el("button", {
    type: "button",
    className: "aisle-icon-button",
    "aria-label": S.close,
    text: "×",
    onclick: function () {
      setOpen(false);
    },
  });
  var newChatButton = el("button", {
    type: "button",
    className: "aisle-icon-button",
    "aria-label": S.newChat,
    title: S.newChat,
    text: "↺",
    onclick: startOver,
  });
  var panel = el(
    "section",
    {
      id: "aisle-panel",
      className: "aisle-panel",
      role: "dialog",
      "aria-labelledby": titleId,
      "aria-describedby": aiLabelId,
      hidden: true,
    },
    [
      // A div, not <header>: inside the dialog it is no page banner (the theme has its own).
      el("div", { className: "aisle-header" }, [
        el("div", { className: "aisle-heading" }, [
          el("h2", { id: titleId, className: "aisle-title", text: S.title }),
          el("p", { id: aiLabelId, className: "aisle-ai-label", text: S.aiLabel }),
        ]),
        newChatButton,
        closeButton,
      ]),
      log,
      typing,
      notice,
      suggestions,
      form,
    ],
  );
  host.appendChild(panel);
  host.appendChild(launcher);

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else onSubmit(event);
    }
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.stopPropagation();
      setOpen(false);
    }
  });

  function setOpen(open) {
    state.open = open;
    saveState();
    panel.hidden = !open;
    host.classList.toggle("aisle--open", open);
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      scrollToEnd();
      input.focus();
    } else {
      launcher.focus();
    }
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  // ---- rendering messages ------------------------------------------------------------------------
  function renderMessage(message) {
    var bubble = el("div", { className: "aisle-message aisle-message--" + message.role }, [
      el("span", { className: "aisle-visually-hidden", text: (message.role === "user" ? S.you : S.assistant) + ": " }),
    ]);
    var text = el("p", { className: "aisle-message__text" });
    text.textContent = message.text || ""; // model output: text only, never parsed as HTML
    bubble.appendChild(text);
    if (message.products && message.products.length) bubble.appendChild(renderCards(message.products));
    if (message.sources && message.sources.length) bubble.appendChild(renderSources(message.sources));
    log.appendChild(bubble);
    return { bubble: bubble, text: text };
  }

  // The store's policies, pages and answers an answer quotes, linked to where the shopper can read them whole.
  function renderSources(sources) {
    var list = el("ul", { className: "aisle-sources", "aria-label": S.sources });
    sources.forEach(function (source) {
      var path = safeSourcePath(source.path);
      var title = String(source.title || "");
      list.appendChild(
        el("li", {}, [
          path
            ? el("a", { className: "aisle-source", href: path, text: title })
            : el("span", { className: "aisle-source", text: title }),
        ]),
      );
    });
    return list;
  }

  function renderCards(products) {
    var list = el("ul", { className: "aisle-cards", "aria-label": S.products });
    products.forEach(function (product) {
      var card = renderCard(product);
      if (card) list.appendChild(el("li", {}, [card]));
    });
    return list;
  }

  function renderCard(product) {
    var path = safeProductPath(product.path);
    if (!path || !product.variants || !product.variants.length) return null;
    var variants = product.variants;
    var selected =
      variants.filter(function (v) {
        return v.available;
      })[0] || variants[0];
    var price = el("p", { className: "aisle-card__price" });
    var stock = el("p", { className: "aisle-card__stock" });
    var add = el("button", { type: "button", className: "aisle-card__add", text: S.addToCart });
    var status = el("p", { className: "aisle-card__status", role: "status" });
    // A close match the search added after every product that meets the question says so.
    var closeText = {
      options: S.closeOptions,
      vendors: S.closeVendors,
      productTypes: S.closeProductTypes,
    }[product.misses];
    var note = closeText ? el("p", { className: "aisle-card__note", text: closeText }) : null;

    function showVariant(variant) {
      selected = variant;
      price.textContent = "";
      var onSale = variant.compareAtPrice && Number(variant.compareAtPrice) > Number(variant.price);
      if (onSale) {
        price.appendChild(el("span", { className: "aisle-visually-hidden", text: S.salePrice + " " }));
      }
      price.appendChild(
        el("span", {
          className: onSale ? "aisle-card__sale" : "",
          text: formatMoney(variant.price, config.moneyFormat),
        }),
      );
      if (onSale) {
        price.appendChild(document.createTextNode(" "));
        price.appendChild(el("span", { className: "aisle-visually-hidden", text: S.regularPrice + " " }));
        price.appendChild(el("s", { text: formatMoney(variant.compareAtPrice, config.moneyFormat) }));
      }
      stock.textContent = variant.available ? S.inStock : S.soldOut;
      stock.className = "aisle-card__stock" + (variant.available ? "" : " aisle-card__stock--out");
      add.disabled = !variant.available;
    }

    var picker = null;
    if (variants.length > 1) {
      var selectId = "aisle-variant-" + product.id + "-" + Math.random().toString(36).slice(2, 8);
      var select = el(
        "select",
        {
          id: selectId,
          className: "aisle-card__variant",
          onchange: function () {
            showVariant(variants[select.selectedIndex]);
          },
        },
        variants.map(function (variant) {
          return el("option", {
            value: variant.id,
            selected: variant === selected,
            text: variant.title + (variant.available ? "" : " — " + S.soldOut),
          });
        }),
      );
      picker = el("div", { className: "aisle-card__picker" }, [
        el("label", { for: selectId, className: "aisle-visually-hidden", text: S.variant + " — " + product.title }),
        select,
      ]);
    }

    add.addEventListener("click", function () {
      addToCart(product, selected, add, status);
    });
    add.setAttribute("aria-label", S.addToCart + " — " + product.title);

    var image = product.imageUrl
      ? el("img", {
          className: "aisle-card__image",
          src: product.imageUrl,
          alt: product.imageAlt || product.title,
          loading: "lazy",
        })
      : el("div", { className: "aisle-card__image aisle-card__image--empty", "aria-hidden": "true" });
    var card = el("article", { className: "aisle-card" }, [
      image,
      el("div", { className: "aisle-card__body" }, [
        el("a", {
          className: "aisle-card__title",
          href: path,
          text: product.title,
          onclick: function () {
            recordCartEvent(product, null, "product_click");
          },
        }),
        price,
        stock,
        note,
        picker,
        add,
        status,
      ]),
    ]);
    showVariant(selected);
    return card;
  }

  // ---- Add to cart: the storefront's own Ajax cart, no model round trip --------------------------
  function addToCart(product, variant, button, status) {
    button.disabled = true;
    button.textContent = S.adding;
    status.textContent = "";
    fetch("/cart/add.js", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ items: [{ id: Number(variant.id), quantity: 1 }] }),
    })
      .then(function (response) {
        if (!response.ok) throw new Error("cart " + response.status);
        return fetch("/cart.js", { headers: { Accept: "application/json" } }).then(function (r) {
          return r.ok ? r.json() : null;
        });
      })
      .then(function (cart) {
        status.textContent = fill(S.added, { title: product.title });
        announceCart(cart);
        recordCartEvent(product, variant);
        tagCart();
      })
      .catch(function () {
        status.textContent = S.addFailed;
      })
      .then(function () {
        button.textContent = S.addToCart;
        button.disabled = !variant.available;
      });
  }

  // Themes refresh their cart badge differently; tell them the way most listen for.
  function announceCart(cart) {
    var count = cart && typeof cart.item_count === "number" ? cart.item_count : null;
    document.dispatchEvent(new CustomEvent("aisle:cart-updated", { detail: { cart: cart, itemCount: count } }));
    document.dispatchEvent(new CustomEvent("cart:refresh", { bubbles: true }));
    if (count !== null) {
      var badges = document.querySelectorAll("[data-cart-count], #cart-count, #CartCount, .cart-count");
      Array.prototype.forEach.call(badges, function (badge) {
        badge.textContent = String(count);
      });
    }
  }

  function recordCartEvent(product, variant, kind) {
    if (!state.conversationId) return;
    fetch(PROXY + "/cart-event", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      // A product click navigates away at once: keepalive lets the request outlive the page.
      keepalive: kind === "product_click",
      body: JSON.stringify({
        visitorId: state.visitorId,
        conversationId: state.conversationId,
        productId: String(product.id),
        variantId: variant ? String(variant.id) : null,
        event: kind || "add_to_cart",
      }),
    }).catch(function () {
      /* analytics only: the cart itself already changed */
    });
  }

  // Results (attribution): the cart carries the conversation and the visitor's group as cart
  // attributes, which the order keeps as note attributes. Ids only, never anything about the shopper;
  // the underscore keeps them out of the checkout's view in Shopify themes.
  function tagCart() {
    if (!state.conversationId) return;
    var attributes = { _aisle_conversation: state.conversationId, _aisle_group: state.group || "assistant" };
    fetch("/cart/update.js", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ attributes: attributes }),
    })
      .then(function (response) {
        if (response.ok) {
          state.cartTaggedFor = state.conversationId;
          saveState();
        }
      })
      .catch(function () {
        /* attribution only: the cart works without it */
      });
  }

  // ---- the holdout test (decision 113) ------------------------------------------------------------
  // The app puts each visitor in a group (from the signed visitor id); the holdout group sees no launcher.
  // Both groups' carts carry the group, so their orders can be compared. Re-checked once a day, in case
  // the merchant changed the holdout share.
  var today = new Date().toISOString().slice(0, 10);
  function showWidget(shown) {
    host.style.display = shown ? "" : "none";
  }
  function keepGroup(group) {
    state.group = group;
    state.groupDay = today;
    saveState();
    applyGroup();
  }
  // Once per page: a cart checked out since the last page is a new cart without the group.
  function applyGroup() {
    // Inline style: the stylesheet's display rules would override the hidden attribute.
    showWidget(state.group !== "holdout");
    tagGroup();
  }
  function tagGroup() {
    fetch("/cart.js", { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (cart) {
        if (!cart || (cart.attributes && cart.attributes._aisle_group === state.group)) return;
        return fetch("/cart/update.js", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ attributes: { _aisle_group: state.group } }),
        });
      })
      .catch(function () {
        /* attribution only */
      });
  }

  // ---- talking to the app ---------------------------------------------------------------------------
  var session = null; // { url, token, expiresAt } or false (proxy only)
  var busy = false;
  var lastQuestion = null;

  function getSession() {
    if (session === false) return Promise.resolve(null);
    if (session && session.expiresAt * 1000 - Date.now() > 30000) return Promise.resolve(session);
    return fetch(PROXY + "/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      // `exposure`: the first time this browser learns its visitor's group (Results' holdout comparison).
      body: JSON.stringify({ visitorId: state.visitorId, origin: location.origin, exposure: !state.group }),
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (body) keepVisitorId(body.visitorId);
        if (body && (body.group === "assistant" || body.group === "holdout")) keepGroup(body.group);
        session = body && body.stream ? body.stream : false;
        return session || null;
      })
      .catch(function () {
        return null; // the proxy route answers too
      });
  }

  function postQuestion(text) {
    // Built after the session call, which may have issued the visitor id.
    var body;
    var viaProxy = function () {
      return fetch(PROXY + "/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: body,
      });
    };
    return getSession().then(function (stream) {
      body = JSON.stringify({
        message: text,
        visitorId: state.visitorId,
        conversationId: state.conversationId,
        currency: config.currency || null,
        locale: config.locale || null,
      });
      if (!stream) return viaProxy();
      return fetch(stream.url, {
        method: "POST",
        mode: "cors",
        credentials: "omit",
        headers: {
          "Content-Type": "application/json",
          Accept: "text/event-stream",
          Authorization: "Bearer " + stream.token,
        },
        body: body,
      }).then(
        function (response) {
          if (response.status === 401 || response.status === 403) {
            session = null;
            return viaProxy();
          }
          return response;
        },
        function () {
          session = false; // CORS refused or app origin unreachable: the proxy from now on
          return viaProxy();
        },
      );
    });
  }

  function showNotice(message, retry) {
    notice.textContent = "";
    notice.appendChild(el("span", { text: message }));
    if (retry) {
      notice.appendChild(
        el("button", {
          type: "button",
          className: "aisle-retry",
          text: S.retry,
          onclick: function () {
            hideNotice();
            if (lastQuestion) ask(lastQuestion, true);
          },
        }),
      );
    }
    notice.hidden = false;
  }
  function hideNotice() {
    notice.hidden = true;
    notice.textContent = "";
  }

  function refusal(response) {
    var seconds = Number(response.headers.get("Retry-After")) || 30;
    return response
      .json()
      .catch(function () {
        return {};
      })
      .then(function (body) {
        var code = body && body.error && body.error.code;
        if (response.status === 429) {
          return {
            text: fill(code === "shop_rate_limited" ? S.busy : S.rateLimited, { seconds: seconds }),
            retry: true,
          };
        }
        if (response.status === 413) return { text: S.tooLong, retry: false };
        if (response.status === 503) return { text: S.unavailable, retry: true };
        return { text: S.answerError, retry: true };
      });
  }

  function ask(text, isRetry) {
    if (busy) return;
    busy = true;
    lastQuestion = text;
    hideNotice();
    suggestions.hidden = true;
    sendButton.disabled = true;
    if (!isRetry) {
      var userMessage = { role: "user", text: text };
      state.messages.push(userMessage);
      saveState();
      renderMessage(userMessage);
    }
    typing.hidden = false;
    scrollToEnd();

    var answer = { role: "assistant", text: "", products: [] };
    var view = null;
    var failed = false;
    var handoffReason = null;
    function ensureView() {
      if (!view) view = renderMessage(answer);
      return view;
    }

    postQuestion(text)
      .then(function (response) {
        if (!response.ok || !response.body) {
          return refusal(response).then(function (problem) {
            failed = true;
            showNotice(problem.text, problem.retry);
          });
        }
        return readEvents(response.body, function (event, data) {
          if (event === "conversation") {
            state.conversationId = data.id;
            keepVisitorId(data.visitorId);
            // The shopper chatted: an order from this cart counts for the conversation even when the
            // product goes in through the theme's own button.
            if (state.cartTaggedFor !== data.id) tagCart();
          } else if (event === "products" && data.products && data.products.length) {
            answer.products = answer.products.concat(data.products);
            var v = ensureView();
            var old = v.bubble.querySelector(".aisle-cards");
            if (old) old.remove();
            v.bubble.appendChild(renderCards(answer.products));
          } else if (event === "sources" && data.sources && data.sources.length) {
            answer.sources = data.sources;
            ensureView().bubble.appendChild(renderSources(answer.sources));
          } else if (event === "text") {
            typing.hidden = true;
            answer.text += data.delta || "";
            ensureView().text.textContent = answer.text;
          } else if (event === "replace") {
            // The engine withdrew what it streamed (a guardrail tripped): show its safe answer instead.
            typing.hidden = true;
            answer.text = data.text || "";
            ensureView().text.textContent = answer.text;
          } else if (event === "handoff") {
            handoffReason = "asked_for_person";
          } else if (event === "done") {
            // Two answers in a row that found nothing: a person is offered (decision 124).
            state.unhelpful = data.helped === false ? (state.unhelpful || 0) + 1 : 0;
          } else if (event === "error") {
            failed = true;
            if (data.code === "message_too_long") showNotice(S.tooLong, false);
            else showNotice(S.answerError, data.retryable !== false);
          }
          scrollToEnd();
        });
      })
      .catch(function () {
        failed = true;
        showNotice(S.networkError, true);
      })
      .then(function () {
        typing.hidden = true;
        busy = false;
        sendButton.disabled = false;
        if (answer.text || answer.products.length) {
          state.messages.push(answer);
          if (!failed) lastQuestion = null;
        }
        if (handoffReason) {
          lastQuestion = null;
          offerHandoff(handoffReason, "");
        } else if (!failed && state.unhelpful >= 2) {
          state.unhelpful = 0;
          offerHandoff("could_not_help", text);
        }
        saveState();
        scrollToEnd();
      });
  }

  // ---- human handoff: the store's contact route (decision 124) ------------------------------------
  var handoffForms = 0;
  function offerHandoff(reason, question) {
    var message = { role: "assistant", text: reason === "asked_for_person" ? S.handoffOffer : S.handoffUnhelpful };
    state.messages.push(message);
    saveState();
    var view = renderMessage(message);
    var form = renderHandoffForm(reason, question);
    view.bubble.appendChild(form.node);
    scrollToEnd();
    form.email.focus();
  }

  function renderHandoffForm(reason, question) {
    var n = ++handoffForms;
    var id = function (name) {
      return "aisle-handoff-" + name + "-" + n;
    };
    var email = el("input", {
      id: id("email"),
      className: "aisle-field",
      type: "email",
      autocomplete: "email",
      required: true,
      maxlength: "254",
    });
    var text = el("textarea", {
      id: id("message"),
      className: "aisle-field",
      rows: "3",
      required: true,
      maxlength: "2000",
    });
    text.value = question || "";
    var consent = el("input", { id: id("consent"), type: "checkbox", required: true });
    var error = el("p", { id: id("error"), className: "aisle-handoff__error", role: "alert" });
    var send = el("button", { type: "submit", className: "aisle-handoff__send", text: S.handoffSend });
    var form = el(
      "form",
      { className: "aisle-handoff", "aria-labelledby": id("title"), novalidate: true, onsubmit: submit },
      [
        el("h3", { id: id("title"), className: "aisle-handoff__title", text: S.handoffTitle }),
        el("label", { for: id("email"), text: S.handoffEmail }),
        email,
        el("label", { for: id("message"), text: S.handoffMessage }),
        text,
        el("div", { className: "aisle-handoff__consent" }, [
          consent,
          el("label", { for: id("consent"), text: S.handoffConsent }),
        ]),
        error,
        send,
        el("a", { className: "aisle-handoff__contact", href: CONTACT_PATH, text: S.handoffContactPage }),
      ],
    );

    function invalid(field, problem) {
      [email, text, consent].forEach(function (f) {
        if (f === field) {
          f.setAttribute("aria-invalid", "true");
          f.setAttribute("aria-describedby", id("error"));
        } else {
          f.removeAttribute("aria-invalid");
          f.removeAttribute("aria-describedby");
        }
      });
      error.textContent = problem;
      if (field) field.focus();
    }

    function submit(event) {
      event.preventDefault();
      var address = email.value.trim();
      var body = text.value.trim();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) return invalid(email, S.handoffInvalidEmail);
      if (!body) return invalid(text, S.handoffNeedMessage);
      if (!consent.checked) return invalid(consent, S.handoffNeedConsent);
      invalid(null, "");
      send.disabled = true;
      send.textContent = S.handoffSending;
      fetch(PROXY + "/handoff", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          visitorId: state.visitorId,
          conversationId: state.conversationId,
          reason: reason,
          email: address,
          message: body,
          consent: true,
          consentText: S.handoffConsent,
        }),
      })
        .then(function (response) {
          if (response.ok) {
            var done = el("p", { className: "aisle-handoff__sent", role: "status", text: S.handoffSent });
            form.replaceWith(done);
            var sent = { role: "assistant", text: S.handoffSent };
            state.messages.push(sent);
            saveState();
            return;
          }
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (problem) {
              var code = problem && problem.error && problem.error.code;
              if (code === "invalid_email") invalid(email, S.handoffInvalidEmail);
              else if (code === "invalid_message") invalid(text, S.handoffNeedMessage);
              else invalid(null, response.status === 429 ? S.handoffTooMany : S.handoffFailed);
            });
        })
        .catch(function () {
          invalid(null, S.handoffFailed);
        })
        .then(function () {
          send.disabled = false;
          send.textContent = S.handoffSend;
        });
    }
    return { node: form, email: email };
  }

  // Server-sent events from a fetch body (EventSource cannot POST or send headers).
  function readEvents(body, onEvent) {
    var reader = body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function dispatch(frame) {
      var event = "message";
      var data = "";
      frame.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) event = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
      });
      if (!data) return;
      try {
        onEvent(event, JSON.parse(data));
      } catch {
        /* a malformed frame is skipped, the stream goes on */
      }
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          if (buffer.trim()) dispatch(buffer);
          return;
        }
        buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, "\n");
        var end;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        return pump();
      });
    }
    return pump();
  }

  function onSubmit(event) {
    if (event && event.preventDefault) event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    ask(text, false);
  }

  function startOver() {
    state.conversationId = null;
    state.messages = [];
    saveState();
    renderAll();
    input.focus();
  }

  function renderAll() {
    log.textContent = "";
    // The first message says plainly that an AI answers, before the merchant's welcome.
    var first = renderMessage({ role: "assistant", text: S.welcome });
    first.bubble.insertBefore(el("p", { className: "aisle-ai-intro", text: S.aiIntro }), first.text);
    state.messages.forEach(renderMessage);
    suggestions.textContent = "";
    var questions = String(config.suggestedQuestions || "")
      .split(/\r?\n/)
      .map(function (q) {
        return q.trim();
      })
      .filter(Boolean)
      .slice(0, 4);
    questions.forEach(function (question) {
      suggestions.appendChild(
        el("button", {
          type: "button",
          className: "aisle-suggestion",
          text: question,
          onclick: function () {
            ask(question, false);
          },
        }),
      );
    });
    suggestions.hidden = state.messages.length > 0 || questions.length === 0;
  }

  renderAll();
  if (state.group && state.groupDay === today) applyGroup();
  else {
    // A visitor seen for the first time waits for the group before the launcher shows (no flash for
    // the holdout group); if the app cannot be reached, the widget shows as it always did.
    if (!state.group) showWidget(false);
    getSession().then(function () {
      if (!state.group) showWidget(true);
    });
  }
  if (state.open) {
    panel.hidden = false;
    host.classList.add("aisle--open");
    launcher.setAttribute("aria-expanded", "true");
    scrollToEnd();
  }
})();
