// The benchmark's cloud function: a realistic small WeRun handler (context + a sum over the event).
const cloud = require('wx-server-sdk');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

exports.main = async (event) => {
  const { OPENID } = cloud.getWXContext();
  const total = event.days.reduce((sum, steps) => sum + steps, 0);
  return { openid: OPENID, total };
};
