// The pickers (templates/core/_deputy_picker.html for deputies, templates/core/_choice_picker.html for a
// search-as-you-type choice of a township, group, station ...): typing asks the server for matches (htmx);
// a match checked in the results moves to the chosen list, and unchecking a chosen one removes it.
(function () {
  if (window.deputyPickerReady) return; // the script may be included once per picker
  window.deputyPickerReady = true;

  function pickerOf(element) {
    return element.closest ? element.closest(".deputy-picker") : null;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    var picker = pickerOf(input);
    if (!picker || !input.hasAttribute("data-pick")) return;
    var chosen = picker.querySelector(".picker-chosen");
    var item = input.closest("li");
    if (input.checked && !chosen.contains(item)) {
      if (picker.getAttribute("data-multiple") !== "1") {
        while (chosen.firstChild) chosen.removeChild(chosen.firstChild);
      }
      chosen.appendChild(item);
      var search = picker.querySelector("input[type=search]");
      if (search) search.focus();
    } else if (!input.checked && chosen.contains(item)) {
      item.remove();
    }
  });

  // Enter in the search box searches; it does not submit the suggestion's form.
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !pickerOf(input) || input.type !== "search") return;
    event.preventDefault();
    if (window.htmx) window.htmx.trigger(input, "search");
  });

  // What was typed in a choice picker's search box is not part of the form (a filter's address keeps
  // only the chosen id, e.g. ?group=12).
  document.addEventListener(
    "formdata",
    function (event) {
      event.target.querySelectorAll("input[data-search-only]").forEach(function (input) {
        event.formData.delete(input.name);
      });
    },
    true
  );

  // A deputy already chosen is not offered again.
  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.target;
    var picker = pickerOf(list);
    if (!picker || !list.classList.contains("picker-results")) return;
    var chosen = picker.querySelector(".picker-chosen");
    list.querySelectorAll("input[data-pick]").forEach(function (input) {
      if (chosen.querySelector('input[value="' + input.value + '"]')) input.closest("li").remove();
    });
  });
})();
