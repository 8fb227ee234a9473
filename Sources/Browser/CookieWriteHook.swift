/// The script installed in every document before its own scripts run: it reports each cookie write
/// (`document.cookie` and `cookieStore.set`) with the writing script's stack through a binding, and
/// makes `window.open` open nothing.
///
/// The report carries the written string to this process only; nothing leaves the process but what the
/// audit derives from it (name, attributes, the value's length and shape).
enum CookieWriteHook {
    static func source(binding: String) -> String {
        """
        (() => {
          // No popups: a page's window.open gets nothing (the visit observes one page).
          try { window.open = function () { return null; }; } catch (e) {}
          const report = globalThis[\(quoted(binding))];
          if (typeof report !== 'function') return;
          const stack = () => { try { throw new Error(); } catch (e) { return String(e.stack || ''); } };
          const send = (text) => {
            try { report(JSON.stringify({ text: String(text), stack: stack(), document: String(location.href) })); }
            catch (e) {}
          };
          const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
          if (cookie && cookie.set) {
            Object.defineProperty(Document.prototype, 'cookie', {
              configurable: true, enumerable: cookie.enumerable,
              get() { return cookie.get.call(this); },
              set(value) { send(value); cookie.set.call(this, value); },
            });
          }
          if (typeof CookieStore === 'function' && CookieStore.prototype.set) {
            const set = CookieStore.prototype.set;
            CookieStore.prototype.set = function (name, value) {
              try {
                const o = typeof name === 'object' && name !== null ? name : { name, value };
                let text = `${o.name}=${o.value}`;
                if (o.expires != null) text += `; Expires=${new Date(o.expires).toUTCString()}`;
                if (o.domain != null) text += `; Domain=${o.domain}`;
                text += `; Path=${o.path == null ? '/' : o.path}`;
                text += `; SameSite=${o.sameSite == null ? 'Strict' : o.sameSite}; Secure`;
                if (o.partitioned) text += '; Partitioned';
                send(text);
              } catch (e) {}
              return set.apply(this, arguments);
            };
          }
        })();
        """
    }

    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
