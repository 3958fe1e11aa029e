import { useState } from 'react';
import { Button, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { errorText, leaderboard, type TeamStanding } from '../../services/backend';

/** The team leaderboard: donated steps per team (one donation per person and day), best first, with each member's. */
export default function TeamPage() {
  const [teams, setTeams] = useState<TeamStanding[]>([]);
  const [error, setError] = useState('');

  async function refresh() {
    try {
      setTeams(await leaderboard());
      setError('');
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  useDidShow(() => void refresh());

  return (
    <View className='page team-page'>
      <View className='card leaderboard'>
        <View className='title'>团队排行（累计捐步）</View>
        {teams.map((team, i) => (
          <View key={team.id} className={`team team-${team.id}`} data-team={team.id} data-total={team.total}>
            <View className='rank'>
              <View>
                {i + 1}. {team.name}
              </View>
              <View className='team-total'>{team.total} 步</View>
            </View>
            {team.members.map((m) => (
              <View key={m.openid} className='member' data-openid={m.openid} data-steps={m.steps}>
                <View>{m.openid.slice(0, 10)}…</View>
                <View>{m.steps} 步</View>
              </View>
            ))}
          </View>
        ))}
        {error ? <View className='error'>{error}</View> : null}
      </View>
      <Button className='refresh-button' onClick={() => void refresh()}>
        刷新
      </Button>
      <Button onClick={() => void Taro.navigateBack()}>返回</Button>
    </View>
  );
}
