/* The dated plan (plan.md.j2): dates each step from the form's dates, puts the steps in date
   order, says plainly when the dates do not fit, and offers the dates as a calendar file made
   here (calendar.js) and downloaded from a blob: address, never sent anywhere.

   A step is dated some days from today, from the second-opinion visit or from the treatment
   start (data/plan.yml). With no visit booked, the visit is aimed a few days (data-sog-plan-lead)
   before the start; with no start date, the start is today plus the weeks it is safe to wait.
   A step that falls before today moves to today, with a warning. Every word shown is cloned
   from the page's <template>s or read from the page: this file holds no text. */
(function () {
  "use strict";

  var section = document.querySelector("[data-sog-plan]");
  var form = document.querySelector("form[data-sog-memory]");
  if (!section || !form) return;

  var DAY = 86400000;
  var lead = Number(section.getAttribute("data-sog-plan-lead")) * DAY;
  var list = section.querySelector("[data-sog-plan-steps]");
  var warnings = section.querySelector("[data-sog-plan-warnings]");
  var link = section.querySelector("[data-sog-calendar]");
  var format = new Intl.DateTimeFormat(document.documentElement.lang || "en", {
    weekday: "long", year: "numeric", month: "long", day: "numeric", timeZone: "UTC"
  });
  var steps = Array.prototype.map.call(list.children, function (item, index) {
    var date = item.querySelector("[data-sog-step-date]");
    return {
      item: item,
      index: index,
      from: item.getAttribute("data-sog-from"),
      days: Number(item.getAttribute("data-sog-days")),
      date: date,
      // The blank to write on, for a step with no date yet.
      blank: Array.prototype.map.call(date.childNodes, function (node) { return node.cloneNode(true); })
    };
  });
  var shownWarnings = "";
  var address = null;

  function template(name) {
    return section.querySelector('template[data-sog-template="' + name + '"]').content.cloneNode(true);
  }

  function answer(name) {
    var control = form.elements.namedItem("field-" + name);
    return control ? control.value.trim() : "";
  }

  // A day as a UTC time, so that adding days never meets a change of clocks.
  function day(value) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
  }

  function anchors() {
    var now = new Date();
    var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
    var start = day(answer("start"));
    var visit = day(answer("visit"));
    var weeks = answer("wait") === "" ? NaN : Number(answer("wait"));
    var typed = { today: false, start: start !== null, visit: visit !== null };
    if (start === null && weeks >= 0 && weeks <= 52 && Math.floor(weeks) === weeks) start = today + weeks * 7 * DAY;
    if (visit === null && start !== null) visit = start - lead;
    return { today: today, start: start, visit: visit, typed: typed };
  }

  function problems(dates, late) {
    var found = [];
    if (dates.start === null) found.push("no-start");
    if (dates.typed.start && dates.start < dates.today) found.push("start-past");
    if (dates.typed.visit && dates.visit < dates.today) found.push("visit-past");
    if (dates.typed.visit && dates.start !== null) {
      if (dates.visit >= dates.start) found.push("visit-late");
      else if (dates.visit > dates.start - lead) found.push("close");
    }
    // A past date typed by mistake puts steps in the past too: its own warning is the one to heed.
    if (late && found.indexOf("start-past") === -1 && found.indexOf("visit-past") === -1) found.push("late-steps");
    return found;
  }

  // The answers shown with a step ("Your first doctor: ..."), read from the form itself.
  function details(step) {
    return Array.prototype.map.call(step.item.querySelectorAll("[data-sog-show]"), function (detail) {
      var value = form.elements.namedItem(detail.getAttribute("data-sog-show")).value.trim();
      return value && detail.querySelector(".sog-plan__detail-label").textContent.trim() + " " + value;
    }).filter(Boolean);
  }

  function render() {
    var dates = anchors();
    var late = false;
    steps.forEach(function (step) {
      var anchor = dates[step.from];
      step.when = anchor === null ? null : anchor + step.days * DAY;
      // A date the person typed in the past is theirs to correct (a warning says so); a step
      // that is merely overdue is done today.
      var pastAnchor = dates.typed[step.from] && anchor < dates.today;
      if (step.when !== null && step.when < dates.today && !pastAnchor) {
        step.when = dates.today;
        late = true;
      }
      var parts;
      if (step.when === null) {
        parts = step.blank.map(function (node) { return node.cloneNode(true); });
      } else {
        var phrase = template(step.days === 0 && dates.typed[step.from] ? "on" : "by");
        phrase.querySelector('[data-sog-slot="date"]').textContent = format.format(step.when);
        parts = Array.prototype.slice.call(phrase.childNodes);
      }
      step.date.replaceChildren.apply(step.date, parts);
    });
    steps.slice().sort(function (a, b) {
      return (a.when === null) - (b.when === null) || (a.when - b.when) || (a.index - b.index);
    }).forEach(function (step) { list.appendChild(step.item); });

    var found = problems(dates, late);
    if (found.join() !== shownWarnings) { // the live region speaks only when something changed
      shownWarnings = found.join();
      warnings.replaceChildren.apply(warnings, found.map(function (name) { return template("warning-" + name); }));
    }

    if (address) URL.revokeObjectURL(address);
    address = null;
    var events = steps.filter(function (step) { return step.when !== null; }).map(function (step) {
      return {
        date: step.when,
        title: step.item.querySelector("h3").textContent.trim(),
        description: [step.item.querySelector(".sog-plan__text").textContent.trim()].concat(details(step)).join("\n")
      };
    });
    if (events.length) {
      var text = window.sogCalendar.file(events, new Date());
      address = URL.createObjectURL(new Blob([text], { type: "text/calendar;charset=utf-8" }));
      link.href = address;
      link.download = link.getAttribute("data-sog-file");
    } else {
      link.removeAttribute("href");
      link.removeAttribute("download");
    }
    link.hidden = !events.length;
  }

  ["input", "change", "sog:changed"].forEach(function (type) {
    form.addEventListener(type, render);
  });
})();
