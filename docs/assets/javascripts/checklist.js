/* The checklist (templates/checklist.md.j2, which works without this): the result, the summary
   kept in view, the personal question sheet and the opt-in memory of answers. It holds no text:
   every word is cloned from the page's <template>s, escaped at build time. It sends nothing, and
   keeps the ticked ids in localStorage only while the reader asks it to. Loaded on the checklist
   page only (overrides/checklist.html). */
(function () {
  "use strict";

  // Material's instant navigation runs this file again on every visit to the page: once is enough.
  if (window.sogChecklist) return;
  window.sogChecklist = true;

  var STORAGE_KEY = "sog-checklist-ticked";
  // On <html>, so print CSS can hide everything on the page but the personal sheet.
  var PRINT_CLASS = "sog-print-sheet";
  var LARGE_PRINT_CLASS = "sog-print-large";
  var checklists = new WeakMap();

  function createChecklist(root) {
    // Outside the block whose headings make the page's contents (see the template).
    var parts = document.querySelector("[data-sog-checklist-parts]");
    var data = JSON.parse(parts.querySelector("template[data-sog-data]").content.textContent);
    var templates = new Map();
    var questions = []; // each question's id and audience, in the order of questions.yml
    parts.querySelectorAll("template[data-sog-template]").forEach(function (template) {
      templates.set(templateKey(template.dataset.sogTemplate, template.dataset.sogId), template);
      if (template.dataset.sogTemplate === "question") questions.push(template.dataset);
    });
    var el = {
      form: root.querySelector("form"),
      triggers: Array.prototype.slice.call(root.querySelectorAll("input[data-sog-trigger]")),
      remember: root.querySelector("[data-sog-remember]"),
      forget: root.querySelector("[data-sog-forget]"),
      largePrint: root.querySelector("[data-sog-large-print]"),
      printControls: root.querySelector("[data-sog-print-controls]"),
      resultSlot: root.querySelector('[data-sog-result] [data-sog-slot="result"]'),
      summary: root.querySelector("[data-sog-summary]"),
      summaryText: root.querySelector("[data-sog-summary-text]"),
      announce: root.querySelector("[data-sog-announce]"),
      sheetSlot: parts.querySelector('[data-sog-sheet] [data-sog-slot="audiences"]')
    };
    // The one place the checklist's state lives; the page is drawn from it.
    var state = { ticked: [], remember: false, largePrint: false };

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

    // The rule of data/outcomes.yml: each trigger brings an outcome (resolved at build time); the
    // result is the earliest of them in precedence order, the last (none) when nothing is ticked.
    function outcome() {
      var rank = Math.min.apply(null, state.ticked.map(function (id) {
        return data.outcomes.indexOf(data.triggers[id].outcome);
      }).concat(data.outcomes.length - 1));
      return data.outcomes[rank];
    }

    // The ticked statements of one strength, in the words of the form's own labels.
    function reasons(strength) {
      var ids = state.ticked.filter(function (id) { return data.triggers[id].strength === strength; });
      if (!ids.length) return null;
      return fill(clone("reasons", strength), "reasons", ids.map(function (id) {
        var item = document.createElement("li");
        item.textContent = root.querySelector('label[for="trigger-' + id + '"]').textContent;
        return item;
      }));
    }

    // At most data.readNext guides: the result's own first, then those more ticked statements
    // name, then those named earlier in a statement's list (its most relevant).
    function readNext(result) {
      var order = [], count = {}, best = {};
      state.ticked.forEach(function (id) {
        data.triggers[id].guides.forEach(function (slug, position) {
          if (!(slug in count)) {
            order.push(slug);
            count[slug] = 0;
            best[slug] = position;
          }
          count[slug] += 1;
          best[slug] = Math.min(best[slug], position);
        });
      });
      order.sort(function (a, b) { return count[b] - count[a] || best[a] - best[b]; });
      return unique((data.outcomeGuides[result] || []).concat(order)).slice(0, data.readNext);
    }

    function resultParts() {
      var result = outcome();
      var parts = [clone("outcome", result), reasons("strong"), reasons("consider")];
      var advice = state.ticked.map(function (id) { return clone("trigger-advice", id); }).filter(Boolean);
      if (advice.length) parts.push(fill(clone("advice"), "advice", advice));
      parts.push(clone("timing"));
      if (state.ticked.length) {
        parts.push(fill(clone("next"), "guides", readNext(result).map(function (slug) { return clone("guide", slug); })));
      }
      return parts.filter(Boolean);
    }

    // By audience, the questions linked to the ticked triggers, once each, in questions.yml's order.
    function sheetSections() {
      var linked = flatMap(state.ticked, function (id) { return data.triggers[id].questions; });
      return data.audiences.map(function (audience) {
        var mine = questions.filter(function (question) {
          return question.sogAudience === audience && linked.indexOf(question.sogId) !== -1;
        });
        if (!mine.length) return null;
        return fill(clone("audience", audience), "questions",
                    mine.map(function (question) { return clone("question", question.sogId); }));
      }).filter(Boolean);
    }

    function summary(name, id) {
      var fragment = clone(name, id);
      var count = fragment.querySelector('[data-sog-slot="count"]');
      if (count) count.textContent = String(state.ticked.length);
      return fragment.textContent.trim();
    }

    function render() {
      el.triggers.forEach(function (input) { input.checked = state.ticked.indexOf(input.dataset.sogTrigger) !== -1; });
      el.remember.checked = state.remember;
      el.forget.hidden = !state.remember;
      el.largePrint.checked = state.largePrint;
      replaceChildren(el.resultSlot, resultParts());
      el.summaryText.textContent = summary("summary", outcome());
      // Kept in view only once something is ticked (checklist.css): then it has news to show.
      root.toggleAttribute("data-sog-ticked", state.ticked.length > 0);
      keepClearOfSummary();
      var sections = sheetSections();
      replaceChildren(el.sheetSlot, sections);
      el.printControls.hidden = !sections.length;
    }

    function save() {
      if (state.remember) storage.write(state.ticked);
      else storage.clear();
    }

    function inPageOrder(ids) {
      return el.triggers.map(function (input) { return input.dataset.sogTrigger; })
        .filter(function (id) { return ids.indexOf(id) !== -1; });
    }

    root.addEventListener("change", function (event) {
      var target = event.target;
      if (target === el.remember) {
        state.remember = target.checked;
        save();
        render();
      } else if (target === el.largePrint) {
        state.largePrint = target.checked;
      } else if (el.triggers.indexOf(target) !== -1) {
        state.ticked = inPageOrder(el.triggers.filter(function (input) { return input.checked; })
          .map(function (input) { return input.dataset.sogTrigger; }));
        save();
        render();
        el.announce.textContent = summary("summary", outcome());
        // The summary may just have appeared over the box that was ticked: bring it back above.
        target.scrollIntoView({ block: "nearest" });
      }
    });

    root.addEventListener("click", function (event) {
      if (event.target.closest("[data-sog-forget]")) {
        state.ticked = [];
        state.remember = false;
        storage.clear();
        render();
        el.announce.textContent = summary("summary-forgotten");
        el.remember.focus(); // the Forget button has just been hidden
      } else if (event.target.closest("[data-sog-print]")) {
        render();
        document.documentElement.classList.add(PRINT_CLASS);
        document.documentElement.classList.toggle(LARGE_PRINT_CLASS, state.largePrint);
        window.print();
      }
    });

    // The form has no submit button, but Enter in some browsers still submits it.
    el.form.addEventListener("submit", function (event) { event.preventDefault(); });
    // private-forms.js has cleared the form: only remembered answers come back.
    el.form.addEventListener("sog:shown", function () { sync(); });

    if (!storage.available()) el.remember.closest("[data-sog-remember-option]").hidden = true;
    // Focus that moves into view stops above the summary kept in view, not under it (checklist.css).
    function keepClearOfSummary() {
      document.documentElement.style.setProperty("--sog-summary-height", el.summary.offsetHeight + "px");
    }
    new ResizeObserver(keepClearOfSummary).observe(el.summary);

    function sync() {
      var stored = storage.read(data.triggers);
      state.remember = stored !== null;
      state.ticked = inPageOrder(stored || []);
      render();
    }

    return { sync: sync };
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
    document.documentElement.classList.remove(PRINT_CLASS, LARGE_PRINT_CLASS);
  });
  // Material's instant navigation swaps the page without reloading; document$ emits each time.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
