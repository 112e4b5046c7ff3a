"use strict";
// The review page: show a value's evidence in the text, post decisions without a reload, keyboard.
// Everything here also works without scripts (plain forms); this only makes it quicker.
(() => {
  const text = document.getElementById("text");
  const data = document.getElementById("doc-text");
  if (!text || !data) {
    // The batch page: "n" continues with the first document not yet reviewed.
    document.addEventListener("keydown", event => {
      const link = document.getElementById("continue");
      if (event.key === "n" && link && !event.target.matches("input")) window.location = link.href;
    });
    return;
  }
  // The exact text the offsets count in (HTML parsing would drop a leading newline or a \r).
  const full = JSON.parse(data.textContent);
  text.textContent = full;
  const where = document.getElementById("where");
  const rows = Array.from(document.querySelectorAll("tr.cell"));
  let current = -1;

  function highlight(button) {
    const [first, start, end, last] = ["sentenceStart", "start", "end", "sentenceEnd"].map(k => Number(button.dataset[k]));
    const mark = document.createElement("mark");
    mark.id = "evidence";
    mark.textContent = full.slice(start, end);
    const sentence = document.createElement("span");
    sentence.id = "sentence";
    sentence.append(full.slice(first, start), mark, full.slice(end, last));
    text.replaceChildren(full.slice(0, first), sentence, full.slice(last));
    mark.scrollIntoView({block: "center"});
    const page = button.dataset.page ? `page ${button.dataset.page}` : "no pages (not a PDF)";
    const section = button.dataset.section ? `, ${button.dataset.section} section` : "";
    where.textContent = `${button.dataset.column} "${button.textContent}": ${page}${section}`;
  }

  function select(i) {
    if (i < 0 || i >= rows.length) return;
    if (current >= 0) rows[current].classList.remove("current");
    current = i;
    rows[i].classList.add("current");
    rows[i].scrollIntoView({block: "nearest"});
    const button = rows[i].querySelector("button.value");
    if (button) highlight(button);
  }

  function nextToCheck() {
    const later = rows.findIndex((row, i) => i > current && row.classList.contains("status-pending"));
    select(later >= 0 ? later : current + 1);
  }

  async function decide(form, action) {
    const body = new FormData(form);
    body.set("action", action);
    const row = form.closest("tr");
    const label = row.querySelector(".decision");
    // form.action would be the buttons named "action"
    const response = await fetch(form.getAttribute("action"), {method: "POST", body, headers: {Accept: "application/json"}});
    const answer = await response.json();
    if (!response.ok) {
      label.textContent = answer.error;
      row.classList.add("failed");
      return false;
    }
    row.classList.remove("failed", "stale", ...Array.from(row.classList).filter(c => c.startsWith("status-")));
    row.classList.add(`status-${answer.status}`);
    label.textContent = answer.label;
    document.getElementById("progress").textContent = answer.progress;
    return true;
  }

  rows.forEach((row, i) => {
    const button = row.querySelector("button.value");
    if (button) button.addEventListener("click", () => select(i));
    row.querySelector("form.decide").addEventListener("submit", async event => {
      event.preventDefault();
      current = i;
      const action = event.submitter ? event.submitter.value : "correct";
      if (await decide(event.target, action)) nextToCheck();
    });
  });

  // Start where the curator left off: the value named in the address, else the first one to check.
  const named = rows.findIndex(row => `#${row.id}` === window.location.hash);
  if (named >= 0) select(named); else nextToCheck();

  function submit(action) {
    const form = rows[current] && rows[current].querySelector("form.decide");
    if (form) form.requestSubmit(form.querySelector(`button[value=${action}]`));
  }

  function follow(id) {
    const link = document.getElementById(id);
    if (link) window.location = link.href;
  }

  document.addEventListener("keydown", event => {
    if (event.target.matches("input, select, textarea")) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const keys = {
      j: () => select(current + 1), ArrowDown: () => select(current + 1),
      k: () => select(current - 1), ArrowUp: () => select(current - 1),
      a: () => submit("accept"), x: () => submit("absent"),
      c: () => rows[current] && rows[current].querySelector("[name=value]").focus(),
      n: () => follow("next"), p: () => follow("previous"),
    };
    if (!(event.key in keys)) return;
    event.preventDefault();
    keys[event.key]();
  });
})();
