/* The buttons of CKAN's resource file/link field, without the inline onclick handlers of CKAN's template
 * (package/snippets/resource_upload_field.html), which the portal's Content-Security-Policy blocks.
 * A button says what it does in data attributes, each naming an element by its id:
 *   data-solok-check   the radio button or checkbox to check
 *   data-solok-reset   a field to empty (a file input is emptied too)
 *   data-solok-open    an element to click (the file input: opens the file chooser)
 *   data-solok-focus   an element to focus
 * The listener is on the document and set when this file runs, before the page has loaded: the buttons
 * work at once, as inline handlers did, without waiting for CKAN's modules (which start only after the
 * page's translations have been fetched).
 */
(function () {
  function byId(id) {
    return id ? document.getElementById(id) : null;
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-solok-check]') : null;
    if (!button) {
      return;
    }
    var check = byId(button.getAttribute('data-solok-check'));
    var reset = byId(button.getAttribute('data-solok-reset'));
    var open = byId(button.getAttribute('data-solok-open'));
    var focus = byId(button.getAttribute('data-solok-focus'));
    if (check) { check.checked = true; }
    if (reset) { reset.value = ''; }
    if (open) { open.click(); }
    if (focus) { focus.focus(); }
  });
})();
