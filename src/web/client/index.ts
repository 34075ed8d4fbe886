/**
 * `twisted-ts/web/client`: the HTTP/1.1 client. `Agent` (pooled keep-alive connections through
 * `HTTPConnectionPool`), `readBody`, `FileBodyProducer`, the wrapper agents
 * (`RedirectAgent`, `BrowserLikeRedirectAgent`, `CookieAgent`, `ContentDecoderAgent`), `ProxyAgent`
 * (HTTP proxies, HTTPS through `CONNECT`) and the treq-style API
 * (`treq.get(url)` → a response with `json()`, `text()`, `content()`).
 *
 * @example
 * ```ts
 * import { treq } from 'twisted-ts/web/client';
 * const r = await treq.get('http://127.0.0.1:8080/api');
 * console.log(r.code, await r.json());
 * ```
 * @module
 */
export * from './agent.js';
export * from './body-consumer.js';
export * from './content-decoder-agent.js';
export * from './cookie-agent.js';
export * from './cookie-jar.js';
export * from './errors.js';
export * from './file-body-producer.js';
export * from './http11-client-protocol.js';
export * from './interfaces.js';
export * from './pool.js';
export * from './proxy-agent.js';
export * from './read-body.js';
export * from './redirect-agent.js';
export * from './response.js';
export * from './tls-client-endpoint.js';
export * from './tls-policy.js';
export * from './treq.js';
export * from './treq-response.js';
export * from './tunneling-endpoint.js';
