import { openChat } from './wrapper.js';

document.querySelector('#video').addEventListener('click', () => openChat('start-vidoe'));
