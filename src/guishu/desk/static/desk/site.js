// The few behaviours the screens need beyond htmx, as a file: the Content-Security-Policy allows
// no inline script or handler.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-submit-on-change]");
  if (form) form.submit();
});

// A form marked data-reset-on-success is cleared once its request was answered 200 (the desk's "next
// customer": the answers of one walk-in are never carried over to the next).
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.target.closest && event.target.closest("form[data-reset-on-success]");
  if (form && event.detail.xhr && event.detail.xhr.status === 200) form.reset();
});
