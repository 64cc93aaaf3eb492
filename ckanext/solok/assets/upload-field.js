/* The buttons of CKAN's resource file/link field, without the inline onclick handlers of CKAN's template
 * (package/snippets/resource_upload_field.html), which the portal's Content-Security-Policy blocks.
 * A button says what it does in data attributes, each naming an element by its id:
 *   data-solok-check   the radio button or checkbox to check
 *   data-solok-reset   a field to empty (a file input is emptied too)
 *   data-solok-open    an element to click (the file input: opens the file chooser)
 *   data-solok-focus   an element to focus
 */
this.ckan.module('solok-upload-field', function () {
  function byId(id) {
    return id ? document.getElementById(id) : null;
  }
  return {
    initialize: function () {
      this.el.on('click', '[data-solok-check]', function (event) {
        var data = event.currentTarget.dataset;
        var check = byId(data.solokCheck);
        var reset = byId(data.solokReset);
        var open = byId(data.solokOpen);
        var focus = byId(data.solokFocus);
        if (check) { check.checked = true; }
        if (reset) { reset.value = ''; }
        if (open) { open.click(); }
        if (focus) { focus.focus(); }
      });
    }
  };
});
