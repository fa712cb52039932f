import { html, page, scriptHash, STYLE_HASH, trustedHtml } from './html.js';

// LTI Client Side postMessages (platform storage): a tool framed by an LMS on another site may
// not get its cookies back in the frame. The login keeps the state's browser secret in the
// platform's storage frame too (`lti.put_data`), and a launch that arrives without the cookie
// reads it back (`lti.get_data`) and is posted again with it. Messages go to the platform's
// origin only, and answers are taken only from it and only for the message sent; a frame that
// does not answer within three seconds leaves the cookie as the only binding.

// The target frame, found from the page's data attributes: `_parent`, or a frame of the parent by name.
const FIND_FRAME = `function frameOf(target){try{var f=target==='_parent'?window.parent:window.parent.frames[target];return f&&f!==window?f:null}catch(e){return null}}`;
// The message is sent again every 200 ms until it is answered (a storage frame still loading
// misses it), for three seconds at most.
const ASK = `function ask(frame,origin,message,answered){var id='lp-'+Math.random().toString(36).slice(2)+Date.now().toString(36);var done=false;var retry;var finish=function(data){if(done)return;done=true;clearInterval(retry);clearTimeout(timer);answered(data)};var timer=setTimeout(function(){finish(null)},3000);window.addEventListener('message',function(event){var data=event.data;if(event.origin!==origin||!data||data.message_id!==id||data.subject!==message.subject+'.response')return;finish(data)});message.message_id=id;var send=function(){try{frame.postMessage(message,origin)}catch(e){}};send();retry=setInterval(send,200)}`;

// Keeps the secret, then goes on to the platform's authentication request.
const PUT_SCRIPT = `(function(){${FIND_FRAME}${ASK}var d=document.getElementById('storage').dataset;var go=function(){window.location.replace(d.next)};var frame=frameOf(d.target);if(!frame){go();return}ask(frame,d.origin,{subject:'lti.put_data',key:d.key,value:d.value},go)})();`;

// Reads the secret back and posts the launch again with it (empty when the platform has none).
const GET_SCRIPT = `(function(){${FIND_FRAME}${ASK}var form=document.forms[0];var d=form.dataset;var send=function(data){form.elements.lti_storage_secret.value=data&&!data.error&&typeof data.value==='string'?data.value:'';form.submit()};var frame=frameOf(d.target);if(!frame){send(null);return}ask(frame,d.origin,{subject:'lti.get_data',key:d.key},send)})();`;

/** The page a login answers with when the platform offers its storage: keep the secret there, then go to `next`. */
export function renderStoragePutPage(storage: { target: string; origin: string; key: string; value: string }, next: string): { html: string; csp: string } {
  const body = html`<p id="storage" data-target="${storage.target}" data-origin="${storage.origin}" data-key="${storage.key}" data-value="${storage.value}" data-next="${next}">Signing in…</p>
<noscript><p><a href="${next}">Continue</a></p></noscript>
<script>${trustedHtml(PUT_SCRIPT)}</script>`;
  return {
    html: page('Signing in', body),
    csp: `default-src 'none'; script-src ${scriptHash(PUT_SCRIPT)}; style-src ${STYLE_HASH}; form-action 'none'; base-uri 'none'; frame-ancestors *`,
  };
}

/** The page a launch without its cookie answers with: read the secret from the platform's storage and post the launch again to `action`. */
export function renderStorageGetPage(storage: { target: string; origin: string; key: string }, action: string, fields: Readonly<Record<string, string>>): { html: string; csp: string } {
  const inputs = Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const body = html`<form method="post" action="${action}" data-target="${storage.target}" data-origin="${storage.origin}" data-key="${storage.key}">
${inputs}
<input type="hidden" name="lti_storage_secret" value="">
<input type="hidden" name="lti_storage_looked" value="1">
<p>Signing in…</p>
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>${trustedHtml(GET_SCRIPT)}</script>`;
  return {
    html: page('Signing in', body),
    csp: `default-src 'none'; script-src ${scriptHash(GET_SCRIPT)}; style-src ${STYLE_HASH}; form-action 'self'; base-uri 'none'; frame-ancestors *`,
  };
}
