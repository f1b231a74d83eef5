// The monthly return: Enter moves to the next value (the last one to the save button), and the
// save bar's progress ("12 of 47 complete") and each key area's count follow what is typed.
// Without scripts the page works as a plain form: Tab moves on, the counts are as saved.
const form = document.querySelector("form[data-return-entry]");
if (form) {
  const entries = [...form.querySelectorAll("[data-entry] input, [data-entry] select")];
  const saveButton = form.querySelector("button[name=save]");

  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    const index = entries.indexOf(event.target);
    if (index === -1) return; // Enter on a button or in a note keeps its usual meaning
    event.preventDefault();
    const next = entries[index + 1] || saveButton;
    if (next) {
      next.focus();
      if (next.select) next.select();
    }
  });

  const complete = (fieldset) => {
    const status = fieldset.querySelector("select[name$='-status']");
    if (status && status.value && status.value !== "reported") return true;
    const answer = fieldset.querySelector("[name$='-value'], [name$='-rag']");
    return Boolean(answer && answer.value.trim());
  };

  const update = () => {
    const fieldsets = [...form.querySelectorAll("fieldset[data-area]")];
    const done = fieldsets.filter(complete);
    const total = document.querySelector("#progress [data-done]");
    if (total) total.textContent = String(done.length);
    for (const holder of document.querySelectorAll("[data-area-progress]")) {
      const area = holder.dataset.areaProgress;
      const count = done.filter((fieldset) => fieldset.dataset.area === area).length;
      holder.querySelector("[data-done]").textContent = String(count);
    }
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
}
