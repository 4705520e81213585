// The few behaviours the screens need beyond htmx, as a file: the Content-Security-Policy allows
// no inline script or handler.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-submit-on-change]");
  if (form) form.submit();
});
