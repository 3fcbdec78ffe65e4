/** Entry point of the web chat. */
import { render } from 'solid-js/web';
import { App } from './components/App.tsx';
import '../../shared/styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/sidebar.css';
import './styles/conversation.css';
import './styles/markdown.css';
import './styles/tool-cards.css';
import './styles/approval.css';
import './styles/composer.css';
import './styles/files.css';
import './styles/servers.css';
import './styles/export-menu.css';
import './styles/dialog.css';
import './styles/inbox.css';

render(() => <App />, document.getElementById('root')!);
