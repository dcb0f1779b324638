/* Data-entry grid: arrow keys and Tab move between cells; a changed cell is saved as soon as
   it is left (or after a short pause in typing) through the form's JSON endpoint, and the rules
   it breaks are shown next to the cells. No framework. */
(function () {
  "use strict";
  var table = document.getElementById("ds-grid");
  if (!table) return;
  var token = document.querySelector("#ds-token input[name=csrfmiddlewaretoken]").value;
  var allCells = Array.prototype.slice.call(table.querySelectorAll("input.ds-cell"));
  var box = document.getElementById("ds-comment-box");
  var note = document.getElementById("ds-comment");
  var noteStatus = document.getElementById("ds-comment-status");
  var current = null;

  /* Comments: the focused cell's comment is shown (and, when the form is open, edited) in the
     box under the grid; hovering a cell shows it as its title. */
  allCells.forEach(function (input) {
    input.addEventListener("focus", function () {
      current = input;
      if (note) note.value = input.dataset.comment || "";
      if (noteStatus) noteStatus.textContent = "";
    });
  });
  var saveNote = document.getElementById("ds-comment-save");
  if (saveNote && box && box.dataset.url) {
    saveNote.addEventListener("click", function () {
      if (!current) return;
      var cell = current;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", box.dataset.url);
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.setRequestHeader("Content-Type", "application/json");
      xhr.onload = function () {
        var answer;
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {ok: false, error: xhr.statusText}; }
        if (answer.ok) {
          cell.dataset.comment = answer.comment;
          cell.title = answer.comment ? note.labels[0].textContent + ": " + answer.comment : "";
          cell.classList.toggle("ds-commented", !!answer.comment);
          noteStatus.textContent = answer.message;
        } else {
          noteStatus.textContent = answer.error;
        }
      };
      xhr.send(JSON.stringify({indicator: cell.dataset.indicator, combo: cell.dataset.combo, comment: note.value}));
    });
  }

  if (table.dataset.readonly) return;
  var url = table.dataset.url;
  var cells = allCells;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  var timers = new WeakMap();

  cells.forEach(function (input) { input.dataset.saved = input.value; });

  function showViolations(list) {
    var box = document.getElementById("ds-violations");
    box.textContent = "";
    cells.forEach(function (c) { c.classList.remove("ds-broken"); });
    list.forEach(function (v) {
      var p = document.createElement("p");
      p.className = "msg error";
      p.textContent = v.message;
      box.appendChild(p);
      cells.forEach(function (c) {
        if (v.indicators.indexOf(c.dataset.indicator) >= 0) c.classList.add("ds-broken");
      });
    });
  }

  function save(input) {
    if (input.readOnly || input.value === input.dataset.saved) return;
    var sent = input.value;
    var error = input.nextElementSibling;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.onload = function () {
      var answer;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {ok: false, error: xhr.statusText}; }
      if (answer.ok) {
        input.dataset.saved = sent;
        input.classList.remove("ds-invalid");
        input.removeAttribute("aria-invalid");
        error.textContent = "";
        error.nextElementSibling.textContent = answer.warning || "";
        input.classList.toggle("ds-warning", !!answer.warning);
        document.getElementById("ds-filled").textContent = answer.filled;
        showViolations(answer.violations);
      } else {
        input.classList.add("ds-invalid");
        input.setAttribute("aria-invalid", "true");
        error.textContent = answer.error;
      }
    };
    xhr.send(JSON.stringify({indicator: input.dataset.indicator, combo: input.dataset.combo, value: sent}));
  }

  function move(input, dRow, dCol) {
    var tr = input.closest("tr");
    var r = rows.indexOf(tr) + dRow;
    var inRow = Array.prototype.slice.call(tr.querySelectorAll("input.ds-cell"));
    var col = inRow.indexOf(input);
    if (dCol) {
      var target = cells[cells.indexOf(input) + dCol];
      if (target) target.focus();
      return;
    }
    while (r >= 0 && r < rows.length) {
      var next = rows[r].querySelectorAll("input.ds-cell");
      if (next.length) { next[Math.min(col, next.length - 1)].focus(); return; }
      r += dRow;
    }
  }

  cells.forEach(function (input) {
    input.addEventListener("blur", function () { save(input); });
    input.addEventListener("input", function () {
      clearTimeout(timers.get(input));
      timers.set(input, setTimeout(function () { save(input); }, 600));
    });
    input.addEventListener("keydown", function (ev) {
      var moves = {ArrowUp: [-1, 0], ArrowDown: [1, 0], Enter: [1, 0]};
      if (ev.key in moves) { ev.preventDefault(); move(input, moves[ev.key][0], 0); }
      else if (ev.key === "ArrowLeft" && input.selectionStart === 0) { ev.preventDefault(); move(input, 0, -1); }
      else if (ev.key === "ArrowRight" && input.selectionEnd === input.value.length) { ev.preventDefault(); move(input, 0, 1); }
    });
  });
  if (cells.length) cells[0].focus();
})();
