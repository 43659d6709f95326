// mt review: in-place save and confirm, keys, help at the sentence. First-party, no
// dependencies; the page works without it (plain forms). Release text only ever goes
// into the page as text (value, textContent) or as HTML the server rendered and escaped.
(function () {
  "use strict";
  var current = null;      // the editor last focused
  var helpTimer = null;

  function editors() { return Array.prototype.slice.call(document.querySelectorAll("textarea.editor")); }
  function cellOf(el) { return el.closest(".cell.target"); }
  function say(text) { var s = document.getElementById("status"); if (s) { s.textContent = text; } }

  function focusEditor(area) {
    if (!area) { return false; }
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    cellOf(area).scrollIntoView({block: "center"});
    return true;
  }

  // The next (step 1) or previous (-1) editor of the same language.
  function move(area, step) {
    var list = editors().filter(function (e) { return e.dataset.lang === area.dataset.lang; });
    var at = list.indexOf(area);
    return focusEditor(list[at + step]);
  }

  // The next editor (row by row, language by language) whose sentence is not confirmed;
  // the next page's first one when this page has none left.
  function nextUnconfirmed(area) {
    var list = editors();
    var at = area ? list.indexOf(area) : -1;
    for (var i = at + 1; i < list.length; i++) {
      if (cellOf(list[i]).dataset.state !== "confirmed") { return focusEditor(list[i]); }
    }
    var next = document.getElementById("next-page");
    if (next) { window.location.href = next.href + "&focus=unconfirmed"; return true; }
    say("Every sentence on this page is confirmed.");
    return false;
  }

  function updateCounts(counts) {
    Object.keys(counts || {}).forEach(function (lang) {
      var box = document.querySelector('[data-count="' + lang + '"] .confirmed-count');
      if (box) { box.textContent = String(counts[lang].confirmed); }
    });
  }

  // Save or confirm the editor's sentence without reloading; resolves to the new editor.
  function submit(area, action) {
    var form = area.form;
    var data = new URLSearchParams(new FormData(form));
    data.set("action", action);
    data.set("text", area.value);
    say(action === "confirm" ? "Confirming…" : "Saving…");
    return fetch(form.getAttribute("action"), {method: "POST", body: data, credentials: "same-origin",
                               headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (reply) {
        if (!reply.html) { say("Not saved: " + (reply.message || "error")); return null; }
        var holder = document.createElement("template");
        holder.innerHTML = reply.html.trim();
        var fresh = holder.content.firstElementChild;
        // The page's filters travel with every form of the page.
        Array.prototype.forEach.call(form.querySelectorAll('input[name^="keep_"]'), function (input) {
          fresh.querySelector("form").appendChild(input.cloneNode());
        });
        cellOf(area).replaceWith(fresh);
        updateCounts(reply.counts);
        var editor = fresh.querySelector("textarea.editor");
        if (reply.status === "conflict") {
          say("Not saved: sentence " + reply.segment + " (" + reply.lang + ") was changed elsewhere; both texts are shown.");
          focusEditor(editor);
          return null;
        }
        say((reply.status === "confirmed" ? "Confirmed" : "Saved") + ": sentence " + reply.segment + " (" + reply.lang + ").");
        return editor;
      })
      .catch(function () { say("Not saved: the server did not answer. Your text is still in the editor."); return null; });
  }

  function loadHelp(area) {
    var panel = document.getElementById("help-panel");
    if (!panel) { return; }
    clearTimeout(helpTimer);
    helpTimer = setTimeout(function () {
      fetch("/sentence/" + area.dataset.segment + "/" + area.dataset.lang + "?part=1", {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (html && current === area) { panel.innerHTML = html; } });
    }, 120);
  }

  function useText(text) {
    if (!current || !document.body.contains(current)) { return; }
    current.value = text;
    focusEditor(current);
  }

  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.classList.contains("editor")) { return; }
    var key = event.key;
    if (event.ctrlKey && key === "Enter") {
      event.preventDefault();
      submit(area, "confirm").then(function (editor) { if (editor) { nextUnconfirmed(editor); } });
    } else if (event.ctrlKey && (key === "s" || key === "S")) {
      event.preventDefault();
      submit(area, "save").then(function (editor) { if (editor) { focusEditor(editor); } });
    } else if (event.altKey && (key === "ArrowDown" || key === "ArrowUp")) {
      event.preventDefault();
      move(area, key === "ArrowDown" ? 1 : -1);
    } else if (event.altKey && (key === "m" || key === "M")) {
      event.preventDefault();
      if (area.dataset.machine) { area.value = area.dataset.machine; say("Machine draft put back (not saved yet)."); }
    } else if (event.altKey && (key === "i" || key === "I")) {
      event.preventDefault();
      var source = document.getElementById("src" + area.dataset.segment);
      if (source) { area.value = source.textContent.trim(); say("Source copied into the editor (not saved yet)."); }
    } else if (event.altKey && /^[1-5]$/.test(key)) {
      var button = document.querySelector('#help-panel button.use[data-key="' + key + '"]');
      if (button) { event.preventDefault(); useText(button.dataset.text); }
    }
  });

  document.addEventListener("focusin", function (event) {
    var area = event.target;
    if (area instanceof HTMLTextAreaElement && area.classList.contains("editor") && area !== current) {
      current = area;
      loadHelp(area);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("edit")) {
      event.preventDefault();
      var action = event.submitter && event.submitter.value === "confirm" ? "confirm" : "save";
      var area = form.querySelector("textarea.editor");
      submit(area, action).then(function (editor) {
        if (editor) { if (action === "confirm") { nextUnconfirmed(editor); } else { focusEditor(editor); } }
      });
    } else if (form.classList.contains("concordance") && document.getElementById("concordance-results")) {
      event.preventDefault();
      var query = new URLSearchParams(new FormData(form));
      query.set("part", "1");
      fetch("/concordance?" + query.toString(), {credentials: "same-origin"})
        .then(function (r) { return r.text(); })
        .then(function (html) { document.getElementById("concordance-results").innerHTML = html; });
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.use");
    if (!button) { return; }
    var cell = button.closest(".cell.target");
    if (cell) { current = cell.querySelector("textarea.editor"); }
    useText(button.dataset.text);
  });

  // Focus lands in an editor: the sentence named in the address, else the first unconfirmed.
  var match = /^#s(\d+)$/.exec(window.location.hash);
  var row = match && document.getElementById("s" + match[1]);
  if (!(row && focusEditor(row.querySelector("textarea.editor")))) { nextUnconfirmed(null); }
}());
