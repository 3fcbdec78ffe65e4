/** Entry point of the admin console. */
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import '../../shared/styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';

render(() => <App />, document.getElementById('root')!);
