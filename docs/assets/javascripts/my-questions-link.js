/* The checklist's way into My questions: the link in [data-mq-from-checklist] on the checklist page
   takes the statements ticked there, and My questions opens their questions. The link holds
   only their ids, in the fragment (after #), which browsers never send to a server; the format
   is my-questions.js's version 1 with "t" alone (CONTRIBUTING.md, "The My questions link"). It
   reads the page's boxes, not the checklist's script, so each works without the other; without
   JavaScript the link opens My questions empty. */
(function () {
  "use strict";

  // Material's instant navigation runs this file again on every visit to the page: once is enough.
  if (window.sogMyQuestionsLink) return;
  window.sogMyQuestionsLink = true;

  // Each box's id is "trigger-" and the statement's id (templates/checklist.md.j2).
  function fragment() {
    var ticks = Array.prototype.map.call(document.querySelectorAll("input.sog-trigger__input:checked"), function (box) {
      return box.id.replace(/^trigger-/, "");
    });
    var json = JSON.stringify({ t: ticks });
    return "#mq1." + btoa(json).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // Brought up to date just before it is used (pointed at, focused, followed), so it also holds
  // ticks the checklist's script restored without a change event.
  function update(event) {
    var link = event.target.closest && event.target.closest("[data-mq-from-checklist] a");
    if (link) link.hash = fragment();
  }

  ["pointerover", "focusin", "click", "auxclick", "contextmenu"].forEach(function (type) {
    document.addEventListener(type, update, true);
  });
})();
