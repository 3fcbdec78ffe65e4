/**
 * Where question cards go: under the card of the tool call that asked. MessageList provides the
 * chat's view and the answer call; each tool card takes its own call's questions from here, so the
 * messages in between need not hand them down.
 */
import { createContext, For, useContext, type JSX } from 'solid-js';
import type { PendingQuestion, QuestionAnswer } from '../../../shared/questions.ts';
import { type ConversationView, questionsOf, questionsWithoutCard } from '../state/conversation-view.ts';
import { QuestionCard } from './QuestionCard.tsx';

type Answer = (questionId: string, answer: QuestionAnswer) => Promise<string | null>;

const Questions = createContext<{ view: ConversationView; answer: Answer }>();

export function QuestionsProvider(props: { view: ConversationView; onAnswer: Answer; children: JSX.Element }) {
  return <Questions.Provider value={{ view: props.view, answer: props.onAnswer }}>{props.children}</Questions.Provider>;
}

/** The questions asked during one tool call, under its card. */
export function CallQuestions(props: { toolCallId: string }) {
  const questions = useContext(Questions);
  return <Cards questions={questions ? questionsOf(questions.view, props.toolCallId) : []} />;
}

/** Questions whose call has no card in view (its proposing message was never seen), after the conversation. */
export function UnplacedQuestions() {
  const questions = useContext(Questions);
  return <Cards questions={questions ? questionsWithoutCard(questions.view) : []} />;
}

function Cards(props: { questions: PendingQuestion[] }) {
  const questions = useContext(Questions);
  return (
    <For each={props.questions}>
      {(question) => <QuestionCard question={question} onAnswer={(answer) => questions!.answer(question.id, answer)} />}
    </For>
  );
}
