/* Calendar files (iCalendar, RFC 5545), made in the browser for the dated plan (plan.js):
   window.sogCalendar.file(events, now) gives the text of a .ics file with one all-day event per
   {date, title, description}, date being a UTC day in milliseconds.

   What a person typed may go into a title or description, so every text is escaped as RFC 5545
   TEXT (backslash, semicolon, comma and line breaks; other control characters dropped), and
   every line is folded at 75 octets of UTF-8 without splitting a character (section 3.1). */
(function () {
  "use strict";

  var LIMIT = 75; // octets per line, the line break not counted

  function text(value) {
    return String(value)
      .replace(/\r\n?/g, "\n")
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
      .replace(/\\/g, "\\\\")
      .replace(/;/g, "\\;")
      .replace(/,/g, "\\,")
      .replace(/\n/g, "\\n");
  }

  function octets(character) {
    var code = character.codePointAt(0);
    return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }

  // A long line goes on over lines that start with a space, which counts towards their 75.
  function fold(line) {
    var lines = [];
    var current = "";
    var size = 0;
    for (var character of line) {
      var length = octets(character);
      if (size + length > LIMIT) {
        lines.push(current);
        current = " ";
        size = 1;
      }
      current += character;
      size += length;
    }
    lines.push(current);
    return lines.join("\r\n");
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function day(time) {
    var date = new Date(time);
    return date.getUTCFullYear() + pad(date.getUTCMonth() + 1) + pad(date.getUTCDate());
  }

  function stamp(now) {
    return day(now.getTime()) + "T" + pad(now.getUTCHours()) + pad(now.getUTCMinutes()) +
      pad(now.getUTCSeconds()) + "Z";
  }

  // A unique id per event, from the browser's random numbers: nothing about the person.
  function uid() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (byte) { return (byte + 256).toString(16).slice(1); })
      .join("") + "@second-opinion-guide";
  }

  function file(events, now) {
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Second Opinion Guide//Dated plan//EN",
                 "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
    events.forEach(function (event) {
      lines.push(
        "BEGIN:VEVENT",
        "UID:" + uid(),
        "DTSTAMP:" + stamp(now),
        "DTSTART;VALUE=DATE:" + day(event.date),
        "DTEND;VALUE=DATE:" + day(event.date + 86400000),
        "SUMMARY:" + text(event.title),
        "DESCRIPTION:" + text(event.description),
        "TRANSP:TRANSPARENT",
        "END:VEVENT"
      );
    });
    lines.push("END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
  }

  window.sogCalendar = { file: file };
})();
