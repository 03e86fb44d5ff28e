/* My questions (my-questions/): the person's own list of questions, printed as a list or as a
   card for the doctor, and carried by a private link. It enhances the page made from
   hooks/second_opinion/templates/my_questions.md.j2 and holds no text: every word it shows is
   in that page. It sends nothing anywhere, and stores the list only while "Remember" is ticked.

   The link holds the whole list in the URL fragment (after #), which browsers never send to a
   server. Version 2 is "mq2." + base64url(deflate-raw(JSON)); version 1, "mq1." +
   base64url(JSON), is written where the browser cannot compress, and both are always read.
   The JSON: {"t": [ids of the statements ticked],
              "q": [the list in order: a question's id, or [the text of the person's own]],
              "s": [positions in q of the questions marked most important]}.
   Without "q", the list is the questions the ticked statements suggest: the checklist links
   here with {"t": [...]} alone (my-questions-link.js). Ids, not texts: a link still opens after questions are
   added or reworded, and an id this copy does not have is left out with a notice. A link too long, badly encoded or out of shape
   in any way is refused whole, with a notice: nothing from it is used. Text from a link only
   ever becomes textContent. The limits are render.MY_QUESTIONS_LIMITS. CONTRIBUTING.md ("The
   My questions link") says how to change the format without breaking links already sent. */
(function () {
  "use strict";

  var STORAGE_KEY = "sog-my-questions";
  var ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
  var PRINT = { list: "sog-print-list", card: "sog-print-card" };
  var LARGE = "sog-print-large";
  var html = document.documentElement;

  // Material's instant navigation runs this file again on every visit to the page: once is enough.
  if (window.sogMyQuestions) return;
  window.sogMyQuestions = true;
  var current = null; // the list on the page shown now
  var loading = null; // the QR encoder, once asked for
  var ENCODER = document.currentScript.src.replace(/javascripts\/my-questions\.js.*$/, "vendor/lean-qr/lean-qr.js");

  function $(selector) { return document.querySelector(selector); }
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }

  function create(form) {
    var data = JSON.parse($("template[data-mq-data]").content.textContent);
    var limits = data.limits;
    var el = {
      notice: $("[data-mq-notice]"), count: $("[data-mq-count]"), empty: $("[data-mq-empty]"),
      items: $("[data-mq-items]"), heading: $("#my-list"), triggers: all("[data-mq-trigger]"),
      questions: all("[data-mq-question]"), search: $("[data-mq-search]"),
      searchCount: $("[data-mq-search-count]"), own: $("[data-mq-own]"), ownError: $("[data-mq-own-error]"),
      large: $("[data-mq-large]"), share: $("[data-mq-share]"), link: $("[data-mq-link]"),
      tooLong: $("[data-mq-too-long]"), email: $("[data-mq-email]"), webShare: $("[data-mq-web-share]"),
      remember: $("[data-mq-remember]"), forget: $("[data-mq-forget]"), announce: $("[data-mq-announce]"),
      sheet: $("[data-mq-sheet]"), card: $("[data-mq-card]")
    };
    // The one place the list lives; the page, the papers and the link are drawn from it. An item
    // is {key, id} or {key, own: text}, with top: true when marked most important.
    var state = { ticks: [], items: [], remember: false };
    var keys = 0;
    var fragment = ""; // the link's fragment for the list as it is now
    var drawing = 0;

    function clone(name) {
      return $('template[data-mq-template="' + name + '"]').content.cloneNode(true);
    }

    function text(name, values) {
      var words = $('template[data-mq-text="' + name + '"]').content.textContent.trim();
      Object.keys(values || {}).forEach(function (key) { words = words.split("{" + key + "}").join(values[key]); });
      return words;
    }

    function say(name, values) { el.announce.textContent = text(name, values); }

    function isTop(item) { return item.top; }
    function isOwn(item) { return item.own !== undefined; }
    function has(id) { return state.items.some(function (item) { return item.id === id; }); }
    function counts() { return { count: state.items.length, top: state.items.filter(isTop).length }; }
    function clean(words) { return String(words).replace(/[\s\u0000-\u001f\u007f]+/g, " ").trim(); }
    function fold(words) { return clean(words).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

    function itemText(item) {
      return isOwn(item) ? item.own : $('label[for="mq-q-' + item.id + '"]').textContent.trim();
    }

    // The questions the statements `ids` suggest, once each, in the order of questions.yml.
    function suggested(ids) {
      return data.questions.filter(function (id) {
        return ids.some(function (trigger) { return data.triggers[trigger].indexOf(id) !== -1; });
      });
    }

    function add(item) {
      if (state.items.length >= limits.items) { say("full"); return false; }
      item.key = keys++;
      state.items.push(item);
      return true;
    }

    function remove(ids) {
      state.items = state.items.filter(function (item) { return ids.indexOf(item.id) === -1; });
    }

    // ---- Drawing the page and the papers from the state

    function render() {
      var numbers = counts();
      el.count.textContent = text("count", numbers);
      el.empty.hidden = numbers.count > 0;
      replaceChildren(el.items, state.items.map(row));
      el.questions.forEach(function (input) { input.checked = has(input.value); });
      el.triggers.forEach(function (input) { input.checked = state.ticks.indexOf(input.value) !== -1; });
      el.remember.checked = state.remember;
      paper(el.sheet, state.items);
      // The card: the questions marked most important, then the first others, three in all.
      paper(el.card, state.items.filter(isTop).concat(state.items.filter(function (item) { return !item.top; }))
        .slice(0, limits.top));
    }

    function row(item, index) {
      var li = clone("item").firstElementChild;
      var words = li.querySelector('[data-mq-slot="text"]');
      li.dataset.mqKey = item.key;
      li.classList.toggle("sog-mq-item--top", Boolean(item.top));
      words.textContent = itemText(item);
      words.id = "mq-item-" + item.key;
      li.querySelectorAll("button").forEach(function (button) {
        var action = button.dataset.mqAction;
        button.setAttribute("aria-describedby", words.id);
        if (action === "top") button.setAttribute("aria-pressed", String(Boolean(item.top)));
        // Still focusable at either end, so focus never drops out of the list.
        if ((action === "up" && !index) || (action === "down" && index === state.items.length - 1)) {
          button.setAttribute("aria-disabled", "true");
        }
      });
      return li;
    }

    function paper(section, items) {
      replaceChildren(section.querySelector('[data-mq-slot="questions"]'), items.map(function (item) {
        var question = clone("question");
        var hint = question.querySelector(".sog-sheet-question__hint");
        var given = !isOwn(item) && $("#mq-h-" + item.id);
        question.querySelector(".sog-sheet-question__text").textContent = itemText(item);
        if (given) hint.textContent = given.textContent;
        else hint.remove();
        if (item.top && section === el.sheet) question.querySelector(".sog-sheet-question__body").prepend(clone("top"));
        return question;
      }));
    }

    function replaceChildren(parent, children) {
      while (parent.firstChild) parent.removeChild(parent.firstChild);
      children.forEach(function (child) { parent.appendChild(child); });
    }

    function focusAction(key, action) {
      el.items.querySelector('[data-mq-key="' + key + '"] [data-mq-action="' + action + '"]').focus();
    }

    function notice(messages) {
      replaceChildren(el.notice, messages.map(function (message) {
        var p = document.createElement("p");
        p.textContent = text(message[0], message[1]);
        return p;
      }));
    }

    // The link, the email, the QR codes and the remembered copy follow every change. Compressing
    // is asynchronous: only the latest change's result is used.
    function draw() {
      render();
      var ticket = ++drawing;
      return encode().then(function (made) {
        if (ticket !== drawing) return;
        fragment = made;
        var fits = made.length <= limits.fragment;
        var link = fits ? location.href.split("#")[0] + "#" + made : "";
        el.share.hidden = !fits;
        el.tooLong.hidden = fits;
        el.link.value = link;
        el.email.href = "mailto:?subject=" + encodeURIComponent(text("email_subject")) +
          "&body=" + encodeURIComponent(plain(link));
        var boxes = all(".sog-qr");
        if (!state.items.length) return boxes.forEach(function (box) { qr(box, null, ""); });
        return encoder().then(function (encode) {
          if (ticket === drawing) boxes.forEach(function (box) { qr(box, encode(link), link); });
        });
      });
    }

    // The QR encoder (docs/assets/vendor/lean-qr) is loaded the first time there is a list to
    // print, not with the page: most visits never need it.
    function encoder() {
      loading = loading || new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = ENCODER;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
      return loading.then(function () {
        return function (link) {
          try {
            var correction = window.leanQR.correction.M;
            return link && window.leanQR.generate(link, { minCorrectionLevel: correction, maxVersion: 20 });
          } catch (error) {
            return null; // too long to scan from paper
          }
        };
      }, function () { return function () { return null; }; });
    }

    function update() {
      return draw().then(save);
    }

    function plain(link) {
      var top = clone("top").textContent;
      return state.items.map(function (item, index) {
        return index + 1 + ". " + itemText(item) + (item.top ? " (" + top + ")" : "");
      }).concat(link ? ["", text("email_open", { link: link })] : []).join("\n");
    }

    // A QR code of `link` (`code`, from encoder()), or none: the caption says why.
    function qr(box, code, link) {
      var svg = box.querySelector("svg");
      box.querySelector(".sog-qr__caption").textContent = code ? text("qr") : link ? text("qr_too_long") : "";
      svg.classList.toggle("sog-qr__code--none", !code);
      replaceChildren(svg, []);
      if (!code) return;
      // One path, a rectangle per run of dark modules, inside the four-module quiet zone.
      var d = "";
      for (var y = 0; y < code.size; y++) {
        for (var x = 0; x < code.size; x++) {
          if (!code.get(x, y)) continue;
          var start = x;
          while (x + 1 < code.size && code.get(x + 1, y)) x++;
          d += "M" + (start + 4) + " " + (y + 4) + "h" + (x - start + 1) + "v1h-" + (x - start + 1) + "z";
        }
      }
      var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      path.setAttribute("d", d);
      svg.setAttribute("viewBox", "0 0 " + (code.size + 8) + " " + (code.size + 8));
      svg.appendChild(path);
    }

    // ---- The link's format (see the top of this file)

    function encode() {
      var json = new TextEncoder().encode(JSON.stringify({
        t: state.ticks,
        q: state.items.map(function (item) { return isOwn(item) ? [item.own] : item.id; }),
        s: state.items.reduce(function (top, item, index) { return item.top ? top.concat(index) : top; }, [])
      }));
      var plainLink = function () { return "mq1." + base64(json); };
      try {
        var stream = new Blob([json]).stream().pipeThrough(new CompressionStream("deflate-raw"));
        return new Response(stream).arrayBuffer().then(function (buffer) {
          return "mq2." + base64(new Uint8Array(buffer));
        }, plainLink);
      } catch (error) {
        return Promise.resolve(plainLink()); // no CompressionStream, or no deflate-raw in it
      }
    }

    // The list in `text` (a fragment without #), or a rejection: nothing of it is used.
    function decode(text) {
      return Promise.resolve().then(function () {
        var match = /^mq([12])\.([A-Za-z0-9_-]+)$/.exec(text.length <= limits.fragment ? text : "");
        if (!match) throw new Error("not a list");
        var bytes = unbase64(match[2]);
        return match[1] === "2" ? inflate(bytes) : bytes;
      }).then(function (bytes) {
        if (bytes.length > limits.json) throw new Error("too long");
        return fromJSON(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)));
      });
    }

    // Decompressed a chunk at a time, and stopped past the limit: a small link cannot unpack into
    // megabytes.
    function inflate(bytes) {
      var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
      var chunks = [];
      var size = 0;
      function next() {
        return reader.read().then(function (step) {
          if (step.done) {
            var whole = new Uint8Array(size);
            chunks.reduce(function (at, chunk) { whole.set(chunk, at); return at + chunk.length; }, 0);
            return whole;
          }
          size += step.value.length;
          if (size > limits.json) {
            reader.cancel();
            throw new Error("too long");
          }
          chunks.push(step.value);
          return next();
        });
      }
      return next();
    }

    function fromJSON(value) {
      var isId = function (id) { return typeof id === "string" && ID.test(id); };
      var ok = Boolean(value) && typeof value === "object" && !Array.isArray(value) &&
        Object.keys(value).every(function (key) { return /^[tqs]$/.test(key) && Array.isArray(value[key]); });
      var t = (ok && value.t) || [];
      var q = (ok && value.q) || [];
      var s = (ok && value.s) || [];
      var ids = q.filter(isId);
      var own = q.filter(Array.isArray);
      ok = ok && t.length <= limits.items && q.length <= limits.items && s.length <= limits.top &&
        own.length <= limits.own && t.every(isId) && ids.length + own.length === q.length &&
        ids.every(function (id, index) { return ids.indexOf(id) === index; }) &&
        own.every(function (entry) {
          return entry.length === 1 && typeof entry[0] === "string" && clean(entry[0]) &&
            entry[0].length <= limits.ownLength;
        }) &&
        s.every(function (at, index) { return Number.isInteger(at) && at >= 0 && at < q.length && s.indexOf(at) === index; });
      if (!ok) throw new Error("out of shape");
      var known = function (id) { return data.questions.indexOf(id) !== -1; };
      var ticks = t.filter(function (id) { return Object.prototype.hasOwnProperty.call(data.triggers, id); });
      if (!value.q) q = suggested(ticks);
      var items = [];
      q.forEach(function (entry, index) {
        if (isId(entry) && !known(entry)) return;
        var item = isId(entry) ? { id: entry } : { own: clean(entry[0]) };
        item.key = keys++;
        item.top = s.indexOf(index) !== -1;
        items.push(item);
      });
      return { ticks: ticks, items: items, dropped: t.length - ticks.length + q.length - items.length };
    }

    function base64(bytes) {
      var binary = "";
      bytes.forEach(function (byte) { binary += String.fromCharCode(byte); });
      return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }

    function unbase64(text) {
      var binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
      return Uint8Array.from(binary, function (character) { return character.charCodeAt(0); });
    }

    // ---- Where the list comes from: a link first, else what was remembered, else nothing

    function load() {
      var link = location.hash.slice(1);
      var stored = storage.read();
      var messages = [];
      var empty = function () { return { ticks: [], items: [], dropped: 0 }; };
      var fromStore = function () { return stored ? decode(stored).catch(empty) : empty(); };
      state.remember = stored !== null;
      var source = link && !document.getElementById(link)
        ? decode(link).then(function (list) {
          messages.push(["link_opened"]);
          return list;
        }, function () {
          messages.push(["link_refused"]);
          return fromStore();
        })
        : Promise.resolve(fromStore());
      return source.then(function (list) {
        if (list.dropped) messages.push(["link_dropped", { count: list.dropped }]);
        state.ticks = list.ticks;
        state.items = list.items;
        notice(messages);
        el.forget.hidden = stored === null;
        return draw();
      });
    }

    function save() {
      if (state.remember) storage.write(fragment);
      else storage.clear();
      el.forget.hidden = storage.read() === null;
    }

    var storage = {
      read: function () {
        try {
          return window.localStorage.getItem(STORAGE_KEY);
        } catch (error) {
          return null; // storage blocked by the browser's settings
        }
      },
      write: function (value) {
        try {
          window.localStorage.setItem(STORAGE_KEY, value);
        } catch (error) {
          // Full or blocked: the list still works on the page, it is just not kept.
        }
      },
      clear: function () {
        try {
          window.localStorage.removeItem(STORAGE_KEY);
          window.sessionStorage.removeItem(STORAGE_KEY);
        } catch (error) {
          // Blocked storage holds nothing to clear.
        }
      }
    };

    // ---- What the person does

    el.items.addEventListener("click", function (event) {
      var button = event.target.closest("[data-mq-action]");
      if (!button || button.getAttribute("aria-disabled") === "true") return;
      var key = Number(button.closest("[data-mq-key]").dataset.mqKey);
      var index = state.items.findIndex(function (item) { return item.key === key; });
      var item = state.items[index];
      var action = button.dataset.mqAction;
      if (action === "top" && !item.top && counts().top >= limits.top) {
        say("top_full");
        return;
      }
      if (action === "remove") {
        state.items.splice(index, 1);
      } else if (action === "top") {
        item.top = !item.top;
      } else {
        state.items.splice(index, 1);
        state.items.splice(index + (action === "up" ? -1 : 1), 0, item);
      }
      update();
      var next = state.items[index] || state.items[index - 1];
      if (action !== "remove") focusAction(key, action);
      else if (next) focusAction(next.key, "remove");
      else el.heading.focus();
      var position = { position: state.items.indexOf(item) + 1, count: state.items.length };
      if (action === "remove") say("removed", counts());
      else if (action === "top") say(item.top ? "top_marked" : "top_unmarked", counts());
      else say("moved", position);
    });

    form.addEventListener("change", function (event) {
      var input = event.target;
      var before = state.items.length;
      if (input.matches("[data-mq-question]")) {
        if (!input.checked) remove([input.value]);
        else if (!add({ id: input.value })) input.checked = false;
      } else if (input.matches("[data-mq-trigger]")) {
        state.ticks = el.triggers.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
        if (input.checked) {
          suggested([input.value]).every(function (id) { return has(id) || add({ id: id }); });
        } else {
          var kept = suggested(state.ticks);
          remove(suggested([input.value]).filter(function (id) { return kept.indexOf(id) === -1; }));
        }
      } else {
        return;
      }
      update();
      if (state.items.length !== before) say(state.items.length > before ? "added" : "removed", counts());
    });

    el.search.addEventListener("input", function () {
      var words = fold(el.search.value).split(" ").filter(Boolean);
      var found = 0;
      all("[data-mq-audience]").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("[data-mq-choice]").forEach(function (choice) {
          var hay = fold(choice.querySelector("label").textContent);
          choice.hidden = !words.every(function (word) { return hay.indexOf(word) !== -1; });
          shown += choice.hidden ? 0 : 1;
        });
        group.hidden = !shown;
        if (words.length && shown) group.open = true;
        found += shown;
      });
      el.searchCount.textContent = words.length ? text("search_count", { count: found }) : "";
    });

    $("[data-mq-add-own]").addEventListener("click", function () {
      var words = clean(el.own.value);
      el.ownError.hidden = Boolean(words);
      el.own.setAttribute("aria-invalid", String(!words));
      el.own.setAttribute("aria-describedby", words ? "mq-own-hint" : "mq-own-error mq-own-hint");
      if (!words) {
        el.own.focus();
      } else if (state.items.filter(isOwn).length >= limits.own) {
        say("own_full");
      } else if (add({ own: words.slice(0, limits.ownLength) })) {
        el.own.value = "";
        update();
        say("added", counts());
      }
    });

    $(".sog-mq-out").addEventListener("click", function (event) {
      var target = event.target.closest("[data-mq-print], [data-mq-copy], [data-mq-web-share], [data-mq-forget]");
      if (!target) return;
      if (target.dataset.mqPrint) {
        html.classList.add(PRINT[target.dataset.mqPrint]);
        html.classList.toggle(LARGE, el.large.checked);
        window.print();
      } else if (target.matches("[data-mq-copy]")) {
        var failed = function () {
          el.link.focus();
          el.link.select();
          say("copy_failed");
        };
        if (navigator.clipboard) navigator.clipboard.writeText(el.link.value).then(function () { say("copied"); }, failed);
        else failed();
      } else if (target.matches("[data-mq-web-share]")) {
        navigator.share({ title: text("email_subject"), text: plain(""), url: el.link.value }).catch(function () {});
      } else {
        storage.clear();
        state = { ticks: [], items: [], remember: false };
        history.replaceState(null, "", location.pathname + location.search);
        notice([]);
        el.remember.focus();
        update();
        say("forgotten");
      }
    });

    el.remember.addEventListener("change", function () {
      state.remember = el.remember.checked;
      save();
    });

    // The form has no submit button, but Enter in some browsers still submits it.
    all("form[data-sog-private]").forEach(function (each) {
      each.addEventListener("submit", function (event) { event.preventDefault(); });
    });

    if (navigator.share) el.webShare.hidden = false;
    return {
      form: form,
      // Shown: loaded, or shown again (Back, Forward, a restored tab, instant navigation). The
      // browser would bring back what was typed and ticked; the list comes back only from its
      // link or from what the person chose to keep.
      shown: function () {
        all("form[data-sog-private]").forEach(function (each) { each.reset(); });
        el.search.dispatchEvent(new Event("input")); // every question shown again
        load();
      },
      load: load
    };
  }

  function start() {
    var form = $("[data-mq-form]");
    if (form && (!current || current.form !== form)) {
      current = create(form);
      // private-forms.js clears the page's forms whenever it is shown (after this has run), then
      // says so: put back what the link, or what the person chose to keep, holds.
      form.addEventListener("sog:shown", function () {
        if (current && current.form === form) current.shown();
      });
    }
    if (form) current.shown();
    else current = null;
  }

  window.addEventListener("afterprint", function () {
    html.classList.remove(PRINT.list, PRINT.card, LARGE);
  });
  window.addEventListener("pageshow", start);
  // Another list's link opened in this tab; a jump to a heading is not a link to a list.
  window.addEventListener("hashchange", function () {
    var link = location.hash.slice(1);
    if (current && link && !document.getElementById(link)) current.load();
  });
  // Material's instant navigation, where a copy turns it on, swaps pages without loading them.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
})();
