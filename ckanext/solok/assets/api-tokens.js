/* The API token page without CKAN's inline handlers (onchange, hx-on), which the portal's
 * Content-Security-Policy blocks: the "Revoke" button is enabled once a token is ticked and disabled
 * after revoking, and a newly created token is scrolled into view. */
this.ckan.module('solok-api-tokens', function ($) {
  return {
    initialize: function () {
      var form = this.el;
      function update() {
        $('#revoke-tokens-button').prop('disabled', !form.find('[name=token]:checked').length);
      }
      form.on('change', '[name=token]', update);
      form.on('htmx:afterRequest', function () {
        $('#revoke-tokens-button').prop('disabled', true);
      });
      document.body.addEventListener('htmx:oobAfterSwap', function () {
        var row = document.querySelector('[data-solok-new-token]');
        if (row) {
          row.removeAttribute('data-solok-new-token');
          row.scrollIntoView(false);
        }
      });
      update();
    }
  };
});
