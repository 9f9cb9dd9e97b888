'use strict';
// Shows the "wrong key" line after a failed attempt (the server redirects to /login?failed=1).
if (new URLSearchParams(location.search).has('failed')) {
  document.getElementById('failed').hidden = false;
}
