// The console's pages: one line each. A later service adds its page with one module file and one line here, e.g.
//   registerPage({ id: 'config', title: 'Config', load: () => import('./config/page.js') });
// The module exports mount(root, ctx); see docs/console.md.
import { registerPage } from './registry.js';

registerPage({ id: 'tree', title: 'Tree', load: () => import('./tree/page.js') });
registerPage({ id: 'config', title: 'Config', load: () => import('./config/page.js') });
registerPage({ id: 'logs', title: 'Logs', load: () => import('./logs/page.js') });
registerPage({ id: 'admin', title: 'Admin', admin: true, load: () => import('./admin/page.js') });
