// The console's entry point: the pages register themselves, then the shell starts.
import './pages.js';
import { start } from './shell.js';

start(document.getElementById('app'));
