import { startLearnerPage } from './page.js';

void startLearnerPage();
