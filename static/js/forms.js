// Small form behaviours without inline handlers (CSP): each page that needs it loads this file.
// <select data-autosubmit> submits its GET form when changed (the form keeps a visible 查看 button
// for those without script); <input data-no-submit> does not submit its form on Enter (a search box
// inside a form whose button does something else).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    if (field.form.requestSubmit) field.form.requestSubmit();
    else field.form.submit();
  }
});
document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (event.key === "Enter" && field.matches && field.matches("[data-no-submit]")) event.preventDefault();
});
