export default defineAppConfig({
  pages: ['pages/login/index', 'pages/steps/index', 'pages/team/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#07c160',
    navigationBarTitleText: '步数挑战',
    navigationBarTextStyle: 'white',
  },
});
