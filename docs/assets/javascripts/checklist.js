/* The checklist page's behaviour: the result panel, the personal question sheet and the
   opt-in memory of answers. It enhances the form rendered from
   hooks/second_opinion/templates/checklist.md.j2, which works without it.

   It holds no text: every word it shows is cloned from the page's <template data-sog-template>
   elements, so content stays in data and templates, escaped once at build time. It sends
   nothing anywhere, and stores the ticked ids in localStorage only while the reader asks it to.
   Loaded by the checklist page only (its front matter); does nothing where there is no
   [data-sog-checklist]. */
(function () {
  "use strict";

  var STORAGE_KEY = "sog-checklist-ticked";
  // On <html>, so print CSS can hide everything on the page but the personal sheet.
  var PRINT_CLASS = "sog-print-sheet";
  var checklists = new WeakMap();

  function createChecklist(root) {
    var data = JSON.parse(root.querySelector("template[data-sog-data]").content.textContent);
    var templates = new Map();
    root.querySelectorAll("template[data-sog-template]").forEach(function (template) {
      templates.set(templateKey(template.dataset.sogTemplate, template.dataset.sogId), template);
    });
    var el = {
      triggers: Array.prototype.slice.call(root.querySelectorAll('input[name="trigger"]')),
      remember: root.querySelector("[data-sog-remember]"),
      resultSlot: root.querySelector('[data-sog-result] [data-sog-slot="result"]'),
      print: root.querySelector("[data-sog-print]"),
      announce: root.querySelector("[data-sog-announce]"),
      sheetSlot: root.querySelector('[data-sog-sheet] [data-sog-slot="audiences"]')
    };
    // The one place the checklist's state lives; the page is drawn from it.
    var state = { ticked: [], remember: false };

    function clone(name, id) {
      var template = templates.get(templateKey(name, id));
      return template ? template.content.cloneNode(true) : null;
    }

    function fill(fragment, slot, children) {
      var target = fragment.querySelector('[data-sog-slot="' + slot + '"]');
      children.forEach(function (child) {
        if (child) target.appendChild(child);
      });
      return fragment;
    }

    function withStrength(strength) {
      return state.ticked.filter(function (id) { return data.triggers[id].strength === strength; });
    }

    // A reason in the result repeats the ticked statement and its "why" from the form itself,
    // rather than from a second copy of every text in the page.
    function reasons(ids) {
      return ids.map(function (id) {
        var item = document.createElement("li");
        var label = item.appendChild(document.createElement("span"));
        label.className = "sog-result__label";
        label.textContent = root.querySelector('label[for="trigger-' + id + '"]').textContent;
        item.appendChild(document.createTextNode(" " + root.querySelector("#trigger-" + id + "-why [data-sog-why]").textContent));
        return item;
      });
    }

    function verdict() {
      if (withStrength("strong").length) return "strong";
      return state.ticked.length ? "consider" : "none";
    }

    function resultParts() {
      var strong = withStrength("strong");
      var consider = withStrength("consider");
      var parts = [];
      if (strong.length) {
        parts.push(fill(clone("strong"), "reasons", reasons(strong)));
        if (consider.length) parts.push(fill(clone("also"), "reasons", reasons(consider)));
      } else if (consider.length) {
        parts.push(fill(clone("consider"), "reasons", reasons(consider)));
      } else {
        parts.push(clone("none"));
      }
      var advice = state.ticked.map(function (id) { return clone("trigger-advice", id); }).filter(Boolean);
      if (advice.length) parts.push(fill(clone("advice"), "advice", advice));
      parts.push(clone("timing"));
      var guides = unique(flatMap(state.ticked, function (id) { return data.triggers[id].guides; }));
      if (guides.length) {
        parts.push(fill(clone("next"), "guides", guides.map(function (slug) { return clone("guide", slug); })));
      }
      return parts;
    }

    // The questions linked to the ticked triggers, once each, in the order of questions.yml.
    function sheetQuestions() {
      var linked = flatMap(state.ticked, function (id) { return data.triggers[id].questions; });
      return Object.keys(data.questions).filter(function (id) { return linked.indexOf(id) !== -1; });
    }

    function sheetSections() {
      var ids = sheetQuestions();
      return data.audiences.map(function (audience) {
        var mine = ids.filter(function (id) { return data.questions[id] === audience; });
        if (!mine.length) return null;
        return fill(clone("audience", audience), "questions",
                    mine.map(function (id) { return clone("question", id); }));
      }).filter(Boolean);
    }

    function render() {
      el.triggers.forEach(function (input) { input.checked = state.ticked.indexOf(input.value) !== -1; });
      el.remember.checked = state.remember;
      replaceChildren(el.resultSlot, resultParts());
      var sections = sheetSections();
      replaceChildren(el.sheetSlot, sections);
      el.print.hidden = !sections.length;
    }

    function announce(name) {
      var summary = clone(name);
      var count = summary.querySelector('[data-sog-slot="count"]');
      if (count) count.textContent = String(state.ticked.length);
      el.announce.textContent = summary.textContent.trim();
    }

    function save() {
      if (state.remember) storage.write(state.ticked);
      else storage.clear();
    }

    function inPageOrder(ids) {
      return el.triggers.map(function (input) { return input.value; })
        .filter(function (id) { return ids.indexOf(id) !== -1; });
    }

    root.addEventListener("change", function (event) {
      var target = event.target;
      if (target === el.remember) {
        state.remember = target.checked;
        save();
      } else if (el.triggers.indexOf(target) !== -1) {
        state.ticked = inPageOrder(el.triggers.filter(function (input) { return input.checked; })
          .map(function (input) { return input.value; }));
        save();
        render();
        announce("summary-" + verdict());
      }
    });

    root.addEventListener("click", function (event) {
      if (event.target.closest("[data-sog-forget]")) {
        state.ticked = [];
        state.remember = false;
        storage.clear();
        render();
        announce("summary-forgotten");
      } else if (event.target.closest("[data-sog-print]")) {
        render();
        document.documentElement.classList.add(PRINT_CLASS);
        window.print();
      }
    });

    // The form has no submit button, but Enter in some browsers still submits it.
    root.addEventListener("submit", function (event) { event.preventDefault(); });

    if (!storage.available()) el.remember.closest("[data-sog-remember-option]").hidden = true;

    return {
      // Called on load and on every pageshow: remembered answers win over the browser's own
      // restored form state, which back/forward navigation brings back when nothing is stored.
      sync: function () {
        var stored = storage.read(data.triggers);
        state.remember = stored !== null;
        state.ticked = inPageOrder(stored !== null ? stored : el.triggers
          .filter(function (input) { return input.checked; })
          .map(function (input) { return input.value; }));
        render();
      }
    };
  }

  var storage = {
    available: function () {
      try {
        return Boolean(window.localStorage);
      } catch (error) {
        return false; // storage blocked by the browser's settings
      }
    },
    // The remembered ids of known triggers, or null when nothing is remembered.
    read: function (triggers) {
      try {
        var ids = JSON.parse(window.localStorage.getItem(STORAGE_KEY));
        if (!Array.isArray(ids)) return null;
        return ids.filter(function (id) { return Object.prototype.hasOwnProperty.call(triggers, id); });
      } catch (error) {
        return null;
      }
    },
    write: function (ids) {
      try {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
      } catch (error) {
        // Storage full or blocked: the answers still work on the page, they are just not kept.
      }
    },
    clear: function () {
      try {
        window.localStorage.removeItem(STORAGE_KEY);
      } catch (error) {
        // Blocked storage holds nothing to clear.
      }
    }
  };

  function templateKey(name, id) {
    return id ? name + ":" + id : name;
  }

  function unique(items) {
    return items.filter(function (item, index) { return items.indexOf(item) === index; });
  }

  function flatMap(items, map) {
    return items.reduce(function (all, item) { return all.concat(map(item)); }, []);
  }

  function replaceChildren(parent, children) {
    while (parent.firstChild) parent.removeChild(parent.firstChild);
    children.forEach(function (child) { parent.appendChild(child); });
  }

  function start() {
    var root = document.querySelector("[data-sog-checklist]");
    if (!root) return;
    if (!checklists.has(root)) checklists.set(root, createChecklist(root));
    checklists.get(root).sync();
  }

  window.addEventListener("afterprint", function () {
    document.documentElement.classList.remove(PRINT_CLASS);
  });
  window.addEventListener("pageshow", start);
  // Material's instant navigation swaps the page without reloading; document$ emits each time.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
