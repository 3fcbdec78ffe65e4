/** Entry point of the admin console. */
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import './styles/base.css';
import './styles/layout.css';

render(() => <App />, document.getElementById('root')!);
